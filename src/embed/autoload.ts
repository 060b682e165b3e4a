/**
 * The `<app>/autoload.js` script (docs/protocol.md §8.2): loads BokehJS unless the page already has it,
 * then renders the session into the element that replaces `<script id=element_id>`.
 */
import { read_setting } from "../settings.ts"
import { embed_call_script, script_safe_json } from "./bootstrap.ts"
import { bundle_loader_script, type LoaderConfig } from "./bundle_loader.ts"

export interface AutoloadOptions {
  readonly token: string
  readonly element_id: string
  /** Script URLs to load, or none when the page already loads BokehJS (`resources=none`). */
  readonly js_urls: readonly string[]
  /** Bundle sources to run instead of URLs to load (`--resources inline`), unless BokehJS is already there. */
  readonly js_sources?: readonly string[]
  /** The on-demand loader for bundles `js_urls` leaves out (./bundle_loader.ts); none with `resources=none`. */
  readonly loader?: LoaderConfig
  /** The app path (with prefix) for the websocket URL. */
  readonly app_path: string
  /** The absolute server URL, if the embedding page is on another origin. */
  readonly absolute_url?: string
  readonly log_level?: string
}

/** The JavaScript served at `autoload.js`. */
export function autoload_js_script(options: AutoloadOptions): string {
  const render_items = [{ token: options.token, elementid: options.element_id, use_for_title: false }]
  const embed = embed_call_script('"{}"', render_items, [options.app_path, options.absolute_url])
  const level = script_safe_json(options.log_level ?? read_setting("log_level"))
  const loader = options.loader !== undefined ? `\n  ${bundle_loader_script(options.loader).replace(/\n/g, "\n  ")}` : ""
  return `(function() {
  "use strict";${loader}
  const js_urls = ${script_safe_json(options.js_urls)};
  const js_sources = ${script_safe_json(options.js_sources ?? [])};
  function run() {
    if (window.Bokeh !== undefined) window.Bokeh.set_log_level(${level});
    ${embed.replace(/\n/g, "\n    ")}
  }
  if (js_sources.length > 0 && window.Bokeh === undefined) {
    // Inline scripts run as they are added, in order and in the page's global scope.
    for (const source of js_sources) {
      const s = document.createElement("script");
      s.text = source;
      document.head.appendChild(s);
    }
  }
  if (js_urls.length === 0 || window.Bokeh !== undefined || window._bokeh_is_loading) {
    run();
    return;
  }
  window._bokeh_is_loading = js_urls.length;
  for (const url of js_urls) {
    const s = document.createElement("script");
    s.src = url;
    s.async = false;
    s.onload = function() {
      window._bokeh_is_loading--;
      if (window._bokeh_is_loading === 0) run();
    };
    s.onerror = function() {
      console.error("failed to load " + url);
    };
    document.head.appendChild(s);
  }
})();
`
}
