// esbuild's bundle of src/ (the JavaScript half of `npm run build`, see build.mjs), also made by the test
// runner (scripts/test.mjs) into a folder of its own, so tests that start the CLI as a child process run
// these sources without loading ~540 modules through tsx each time.
import { join } from "node:path"
import { fileURLToPath } from "node:url"

import { build } from "esbuild"

const root = fileURLToPath(new URL("..", import.meta.url))

/** Entry points, as paths under src/ without extension: what package.json and bin/bokeh-ts.mjs load, and what is loaded by URL. */
export const ENTRIES = ["index", "io/index", "testing/index", "command/main", "application/handlers/app_module_hooks"]

/** Bundles src/ from ENTRIES into `outdir` (ES modules with shared chunks and source maps, sources included). */
export async function bundle(outdir) {
  await build({
    entryPoints: ENTRIES.map((e) => ({ in: join(root, "src", `${e}.ts`), out: e })),
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    // Dependencies stay packages (installed beside bokeh-ts), loaded as Node loads them.
    packages: "external",
    sourcemap: true,
    sourcesContent: true,
    // Class names appear in messages (ValidationError names the model class): keep them.
    keepNames: true,
    logLevel: "warning",
  })
}
