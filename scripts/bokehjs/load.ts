/**
 * Loads the pinned BokehJS (its compiled `build/js/lib`) into this Node process, as an oracle for
 * code generation and conformance tests. The lib is bundled once with esbuild into a cache file;
 * the bundle is rebuilt when the BokehJS version changes.
 */
import { build } from "esbuild"
import { createRequire } from "node:module"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, "../..")
const require = createRequire(import.meta.url)

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BokehJS = any

let loaded: Promise<BokehJS> | undefined

export function bokehjs_lib_dir(): string {
  return join(dirname(require.resolve("@bokeh/bokehjs/package.json")), "build", "js", "lib")
}

export function bokehjs_version(): string {
  return JSON.parse(readFileSync(require.resolve("@bokeh/bokehjs/package.json"), "utf8")).version as string
}

export function load_bokehjs(): Promise<BokehJS> {
  loaded ??= bundle_and_import()
  return loaded
}

async function bundle_and_import(): Promise<BokehJS> {
  const cache = join(root, "node_modules", ".cache", "bokeh-ts")
  mkdirSync(cache, { recursive: true })
  // The bundle's name carries the BokehJS version and a hash of our shim sources, so it is
  // rebuilt exactly when either changes.
  const hash = createHash("sha256")
  for (const f of ["entry.js", "fake_dom.js", "fake_dom_install.js"]) hash.update(readFileSync(join(here, f)))
  const outfile = join(cache, `bokehjs-oracle-${bokehjs_version()}-${hash.digest("hex").slice(0, 12)}.mjs`)
  if (!existsSync(outfile)) {
    await build({
      entryPoints: [join(here, "entry.js")],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      // BokehJS's lib imports modules by bare path ("core/kinds"), resolved against the lib dir.
      nodePaths: [bokehjs_lib_dir()],
      logLevel: "error",
      keepNames: true, // kind objects print their class names ("Nullable(Str)")
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    })
  }
  return import(pathToFileURL(outfile).href)
}
