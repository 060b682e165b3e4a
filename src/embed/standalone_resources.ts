/**
 * `Resources` for standalone output (Python's `bokeh.resources.Resources`): where the HTML that
 * `file_html`/`autoload_static`/`save` write gets BokehJS from.
 *
 * - `cdn`: Bokeh's CDN, the pinned BokehJS version, each `<script>` with its SRI hash;
 * - `inline`: the bundles' code inside the page (one self-contained file, works offline);
 * - `server`: a Bokeh server's `/static/` (`root_url`, default `http://localhost:5006/`);
 * - `relative`: the package's files by a path relative to `root_dir` (default: the working directory);
 * - `absolute`: the package's files by absolute path.
 *
 * Only the bundles a document needs are loaded (`required_bundles`), as on the server's page.
 */
import { readFileSync } from "node:fs"
import { join, relative, sep } from "node:path"

import { EmbedError } from "../core/errors.ts"
import { BOKEHJS_VERSION } from "../core/version.ts"
import type { BundleName } from "./bundle.ts"
import { BOKEHJS_BUNDLES, BOKEHJS_STATIC_DIR, escape_attr, js_urls } from "./resources.ts"
import { SRI_HASHES } from "./sri_hashes.ts"
import { given_setting, read_setting } from "../settings.ts"

export const RESOURCES_MODES = ["cdn", "inline", "server", "relative", "absolute"] as const
export type StandaloneResourcesMode = (typeof RESOURCES_MODES)[number]

export interface ResourcesOptions {
  readonly mode?: StandaloneResourcesMode
  /** `server` mode: the server's URL (ending with `/` or not). */
  readonly root_url?: string
  /** `relative` mode: the directory the paths are relative to (where the HTML file will be). */
  readonly root_dir?: string
  /** `Bokeh.set_log_level(...)` in the page. */
  readonly log_level?: string
}

const DEFAULT_SERVER_URL = "http://localhost:5006/"
const inline_code = new Map<BundleName, string>()

/** A bundle's file in the installed BokehJS package. */
function bundle_path(name: BundleName): string {
  return join(BOKEHJS_STATIC_DIR, "js", `${name}.min.js`)
}

/**
 * A bundle's code, read once per process. Synchronous like Python's `file_html`; the files are the
 * package's own, read at most once each.
 */
function bundle_code(name: BundleName): string {
  let code = inline_code.get(name)
  if (code === undefined) {
    // "</script" inside the code would end the inline <script> element; "<\/" means the same in JS.
    code = readFileSync(bundle_path(name), "utf8").replace(/<\/(script)/gi, "<\\/$1")
    inline_code.set(name, code)
  }
  return code
}

export class Resources {
  readonly mode: StandaloneResourcesMode
  readonly root_url: string
  readonly root_dir: string | null
  readonly log_level: string

  constructor(options: ResourcesOptions | StandaloneResourcesMode = {}) {
    const opts = typeof options === "string" ? { mode: options } : options
    const mode = opts.mode ?? "cdn"
    if (!RESOURCES_MODES.includes(mode))
      throw new EmbedError("BK_ERR_EMBED", `resources mode must be one of ${RESOURCES_MODES.join(", ")}, got ${JSON.stringify(mode)}`)
    if (opts.root_dir !== undefined && mode !== "relative")
      throw new EmbedError("BK_ERR_EMBED", "setting 'root_dir' makes sense only when 'mode' is set to 'relative'")
    if (opts.root_url !== undefined && mode !== "server")
      throw new EmbedError("BK_ERR_EMBED", "setting 'root_url' makes sense only when 'mode' is set to 'server'")
    this.mode = mode
    const url = opts.root_url ?? DEFAULT_SERVER_URL
    this.root_url = url.endsWith("/") ? url : `${url}/`
    this.root_dir = opts.root_dir ?? null
    this.log_level = opts.log_level ?? read_setting("log_level")
  }

  /** `resources` as given, or a mode name made into Resources, or the default (`BOKEH_RESOURCES`, else cdn). */
  static build(resources?: Resources | StandaloneResourcesMode | null): Resources {
    if (resources instanceof Resources) return resources
    const mode = resources ?? (given_setting("resources") as StandaloneResourcesMode | undefined) ?? "cdn"
    return new Resources({ mode })
  }

  /** The BokehJS version these resources load. */
  get version(): string {
    return BOKEHJS_VERSION
  }

  /** URLs (or paths) of the bundles' files; none when inline. */
  js_files(bundles: readonly BundleName[] = BOKEHJS_BUNDLES): string[] {
    switch (this.mode) {
      case "inline":
        return []
      case "cdn":
      case "server": {
        const all = js_urls(this.mode, this.root_url)
        return bundles.map((b) => all[BOKEHJS_BUNDLES.indexOf(b)]!)
      }
      case "relative":
        return bundles.map((b) =>
          relative(this.root_dir ?? process.cwd(), bundle_path(b))
            .split(sep)
            .join("/"),
        )
      case "absolute":
        return bundles.map((b) => bundle_path(b))
    }
  }

  /** Inline code: the bundles' code when inline, then the log level. */
  js_raw(bundles: readonly BundleName[] = BOKEHJS_BUNDLES): string[] {
    const code = this.mode === "inline" ? bundles.map((b) => bundle_code(b)) : []
    return [...code, `Bokeh.set_log_level(${JSON.stringify(this.log_level)});`]
  }

  /** SRI hashes by URL, for cdn mode (Python's `Resources.hashes`). */
  hashes(bundles: readonly BundleName[] = BOKEHJS_BUNDLES): Record<string, string> {
    if (this.mode !== "cdn") return {}
    const out: Record<string, string> = {}
    for (const url of this.js_files(bundles)) {
      const hash = SRI_HASHES[url.slice(url.lastIndexOf("/") + 1)]
      if (hash !== undefined) out[url] = `sha384-${hash}`
    }
    return out
  }

  /** The `<script>` elements loading BokehJS (Python's `render_js`). */
  render_js(bundles: readonly BundleName[] = BOKEHJS_BUNDLES): string {
    const hashes = this.hashes(bundles)
    const files = this.js_files(bundles).map((url) => {
      const sri = hashes[url]
      const integrity = sri !== undefined ? ` integrity="${sri}" crossorigin="anonymous"` : ""
      return `<script type="text/javascript" src="${escape_attr(url)}"${integrity}></script>`
    })
    const raw = this.js_raw(bundles).map((js) => `<script type="text/javascript">\n${js}\n</script>`)
    return [...files, ...raw].join("\n")
  }
}

/** Python's `bokeh.resources.CDN`. */
export const CDN = new Resources({ mode: "cdn" })
/** Python's `bokeh.resources.INLINE`. */
export const INLINE = new Resources({ mode: "inline" })
