/**
 * The JavaScript resources block of an app page: the bundles the document needs (as `<script src>`
 * tags, or inlined), the on-demand loader for the others, and BokehJS's log level.
 */
import type { BundleName } from "./bundle.ts"
import { bundle_loader_script, loader_config } from "./bundle_loader.ts"
import { script_safe_json } from "./bootstrap.ts"
import { inline_scripts, js_urls, script_tags, type ResourcesMode } from "./resources.ts"

export interface PageResources {
  readonly mode: ResourcesMode
  /** Where the server's `static/` is, ending with `/`. */
  readonly root_url: string
  readonly bundles: readonly BundleName[]
  readonly log_level: string
}

/** HTML for the page's `js_resources` block. */
export async function bokeh_js_html(options: PageResources): Promise<string> {
  const bundles = options.mode === "inline" ? await inline_scripts(options.bundles) : script_tags(js_urls(options.mode, options.root_url, options.bundles))
  const loader = bundle_loader_script(loader_config(options.mode, options.root_url, options.bundles))
  return (
    `${bundles}\n    <script type="text/javascript">\n        ${loader}\n    </script>` +
    `\n    <script type="text/javascript">\n        Bokeh.set_log_level(${script_safe_json(options.log_level)});\n    </script>`
  )
}
