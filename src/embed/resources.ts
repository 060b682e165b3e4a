/**
 * BokehJS resources for served pages: the bundles of the pinned `@bokeh/bokehjs` package, served
 * by the server at `<prefix>/static/js/…?v=<sha512>` (immutable cache), from Bokeh's CDN, or inlined
 * into the page itself (`inline`, one self-contained page as in Python).
 */
import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

import { BOKEHJS_VERSION } from "../core/version.ts"

/** Every bundle a page may load, in load order (docs/protocol.md §8.1); `bokeh` is always first. */
export const BOKEHJS_BUNDLES = ["bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables", "bokeh-mathjax"] as const

type Bundle = (typeof BOKEHJS_BUNDLES)[number]

const require = createRequire(import.meta.url)

/** The `build/` directory of the installed BokehJS package (served at `/static/`). */
export const BOKEHJS_STATIC_DIR: string = join(dirname(require.resolve("@bokeh/bokehjs/package.json")), "build")

/** Where pages get BokehJS: this server's `/static/`, Bokeh's CDN, or `<script>` elements holding the bundles. */
export type ResourcesMode = "server" | "cdn" | "inline"

export const RESOURCES_MODES: readonly ResourcesMode[] = ["server", "cdn", "inline"]

/** The static path of a bundle: `js/bokeh-widgets.min.js`. */
export function bundle_path(name: Bundle): string {
  return `js/${name}.min.js`
}

const hashes = new Map<string, string>()

/** Computes (once) the cache-busting hashes of the bundles; call before rendering pages. */
export async function load_resource_hashes(): Promise<void> {
  await Promise.all(
    BOKEHJS_BUNDLES.map(async (name) => {
      const file = bundle_path(name)
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

/**
 * The URL of one bundle. `server` (and `inline`, whose pages fetch bundles they did not inline from
 * the server) gives `<root_url>static/js/<name>.min.js?v=<hash>`; `root_url` ends with `/`
 * (`/`, `/prefix/` or `http://h:5006/`).
 */
export function bundle_url(mode: ResourcesMode, root_url: string, name: Bundle): string {
  if (mode === "cdn") return `https://cdn.bokeh.org/bokeh/release/${name}-${BOKEHJS_VERSION}.min.js`
  const file = bundle_path(name)
  const v = hashes.get(file)
  return `${root_url}static/${file}${v !== undefined ? `?v=${v}` : ""}`
}

/** The script URLs for a page loading `bundles` (every bundle by default). */
export function js_urls(mode: ResourcesMode, root_url: string, bundles: readonly Bundle[] = BOKEHJS_BUNDLES): string[] {
  return bundles.map((name) => bundle_url(mode, root_url, name))
}

/** `<script>` tags for the given URLs. */
export function script_tags(urls: readonly string[]): string {
  return urls.map((u) => `<script type="text/javascript" src="${escape_attr(u)}"></script>`).join("\n    ")
}

const sources = new Map<Bundle, Promise<string>>()

/** A bundle's JavaScript, read once (for `inline` pages). */
export function bundle_source(name: Bundle): Promise<string> {
  let source = sources.get(name)
  if (source === undefined) {
    source = readFile(join(BOKEHJS_STATIC_DIR, bundle_path(name)), "utf8")
    sources.set(name, source)
  }
  return source
}

/**
 * `<script>` elements holding the bundles themselves, as Python's inline resources. `</script` cannot
 * occur in them unescaped (BokehJS's builds have none; `<\/` is the same text inside JS strings).
 */
export async function inline_scripts(bundles: readonly Bundle[]): Promise<string> {
  const parts = await Promise.all(bundles.map(bundle_source))
  return parts.map((js) => `<script type="text/javascript">\n${js.replace(/<\/script/gi, "<\\/script")}\n    </script>`).join("\n    ")
}

export function escape_attr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}
