/**
 * BokehJS resources for served pages: the bundles of the pinned `@bokeh/bokehjs` package, served
 * by the server at `<prefix>/static/js/…?v=<sha512>` (immutable cache), or from Bokeh's CDN.
 */
import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

import { BOKEHJS_VERSION } from "../core/version.ts"

/** The bundles a page loads, in order (docs/protocol.md §8.1). */
export const BOKEHJS_BUNDLES = ["bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables", "bokeh-mathjax"] as const

const require = createRequire(import.meta.url)

/** The `build/` directory of the installed BokehJS package (served at `/static/`). */
export const BOKEHJS_STATIC_DIR: string = join(dirname(require.resolve("@bokeh/bokehjs/package.json")), "build")

export type ResourcesMode = "server" | "cdn"

const hashes = new Map<string, string>()

/** Computes (once) the cache-busting hashes of the bundles; call before rendering pages. */
export async function load_resource_hashes(): Promise<void> {
  await Promise.all(
    BOKEHJS_BUNDLES.map(async (name) => {
      const file = `js/${name}.min.js`
      if (hashes.has(file)) return
      const data = await readFile(join(BOKEHJS_STATIC_DIR, file))
      hashes.set(file, createHash("sha512").update(data).digest("hex"))
    }),
  )
}

/** The hash for a static file path (`js/bokeh.min.js`), if computed. */
export function resource_hash(path: string): string | undefined {
  return hashes.get(path)
}

/** The script URLs for a page. `root_url` ends with `/` (e.g. `/` or `/prefix/` or `http://h:5006/`). */
export function js_urls(mode: ResourcesMode, root_url: string): string[] {
  return BOKEHJS_BUNDLES.map((name) => {
    if (mode === "cdn") return `https://cdn.bokeh.org/bokeh/release/${name}-${BOKEHJS_VERSION}.min.js`
    const file = `js/${name}.min.js`
    const v = hashes.get(file)
    return `${root_url}static/${file}${v !== undefined ? `?v=${v}` : ""}`
  })
}

/** `<script>` tags for the given URLs. */
export function script_tags(urls: readonly string[]): string {
  return urls.map((u) => `<script type="text/javascript" src="${escape_attr(u)}"></script>`).join("\n    ")
}

export function escape_attr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}
