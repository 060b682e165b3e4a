// The CLI as the test runner hands it to tests that start `bokeh-ts` as a child process: these sources
// (src/), bundled by esbuild at the start of the run (about a second), laid out like the installed package
// (package.json beside dist/, which is how bokeh-ts finds its own files) under node_modules/.cache/, so the
// bundle's imports of dependencies resolve to this checkout's node_modules. Started so, a server costs
// ~0.4 s of CPU instead of ~2.5 s for loading ~540 modules through tsx (bin/bokeh-ts.mjs in a checkout).
// Tests read the launcher's path from BOKEH_TS_TEST_CLI (test/support/cli.ts); run without the runner,
// they fall back to bin/bokeh-ts.mjs. The benchmark servers that bench tests start are bundled the same
// way (BOKEH_TS_TEST_BENCH_SERVERS, read by bench/lib/child_server.ts).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

import { build } from "esbuild"

import { bundle } from "./bundle.mjs"

const root = fileURLToPath(new URL("..", import.meta.url))

const LAUNCHER = `// Written by scripts/test_cli.mjs: bin/bokeh-ts.mjs as an installed package runs it.
import { main } from "./dist/command/main.js"
const code = await main(process.argv.slice(2))
if (code !== null) process.exit(code)
`

/** The benchmark servers (bench/servers/*.ts; their apps are code, not files the app loader loads), bundled one file each. */
const BENCH_SERVERS = ["bokeh_server", "bokeh_server_metrics", "echo_server"]

/**
 * Builds the CLI and the benchmark servers into a new folder; returns the folder (to remove after the run),
 * the launcher to run with node (BOKEH_TS_TEST_CLI) and the folder of the servers (BOKEH_TS_TEST_BENCH_SERVERS).
 */
export async function build_test_cli() {
  const cache = join(root, "node_modules", ".cache")
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(join(cache, "bokeh-ts-test-cli-"))
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "bokeh-ts", version, type: "module", private: true })}\n`)
  const bench_servers = join(dir, "bench_servers")
  await Promise.all([
    bundle(join(dir, "dist")),
    build({
      entryPoints: BENCH_SERVERS.map((name) => ({ in: join(root, "bench", "servers", `${name}.ts`), out: name })),
      outdir: bench_servers,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      keepNames: true,
      logLevel: "warning",
    }),
  ])
  const bin = join(dir, "bokeh-ts.mjs")
  writeFileSync(bin, LAUNCHER)
  return { dir, bin, bench_servers }
}
