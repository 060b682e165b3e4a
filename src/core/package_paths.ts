/**
 * Where bokeh-ts's own files are, found from the package root rather than from the calling module's own
 * place: the same code runs from this repo's sources (src/*.ts), and from the built package, where dist/
 * holds a few bundled files (scripts/build.mjs) and a module's `import.meta.url` is its bundle's.
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

/** Whether bokeh-ts runs from its TypeScript sources (through tsx) rather than from dist/. */
export const FROM_SOURCE: boolean = import.meta.url.endsWith(".ts")

/** The extension of bokeh-ts's own modules as they run: ".ts" from the sources, ".js" from dist/. */
export const OWN_EXTENSION: string = FROM_SOURCE ? ".ts" : ".js"

function find_package_root(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json")
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "bokeh-ts") return dir
    if (dirname(dir) === dir) throw new Error(`bokeh-ts: no package.json of bokeh-ts above ${start}`)
  }
}

/** The folder holding bokeh-ts's package.json. */
export const PACKAGE_ROOT: string = find_package_root(dirname(fileURLToPath(import.meta.url)))

/** The folder of the running modules: src/ or dist/ (with a trailing separator). */
export const OWN_DIR: string = join(PACKAGE_ROOT, FROM_SOURCE ? "src" : "dist") + "/"

/** The file URL of one of bokeh-ts's entry modules, e.g. own_module_url("index") or "application/handlers/app_module_hooks". */
export function own_module_url(path: string): string {
  return pathToFileURL(join(OWN_DIR, `${path}${OWN_EXTENSION}`)).href
}
