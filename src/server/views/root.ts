/**
 * The index page at the prefix root (Python's `RootHandler`): a redirect when there is a single app,
 * else a list of the apps, or the `--index` template rendered with them.
 */
import { readFile } from "node:fs/promises"

import nunjucks from "nunjucks"

import { escape_html } from "../../util/html.ts"
import { html, redirect, type HTTPResponse } from "../http.ts"
import type { ViewContext } from "./context.ts"

export async function index_page(context: ViewContext, app_paths: readonly string[]): Promise<HTTPResponse> {
  const { prefix, options } = context
  const paths = [...app_paths].sort()
  if (options.redirect_root !== false && paths.length === 1 && options.index == null) return redirect(`${prefix}${paths[0]}`)
  const urls = paths.map((p) => `${prefix}${p}`)
  if (options.index != null) {
    const source = await readFile(options.index, "utf8")
    // nunjucks.renderString autoescapes, as Python's Jinja index template does.
    return html(nunjucks.renderString(source, { prefix, items: urls }))
  }
  // App paths come from file names and API keys: escaped, so a name cannot inject markup.
  const links = paths.map((p, i) => `      <li><a href="${escape_html(urls[i]!)}">${escape_html(p)}</a></li>`).join("\n")
  return html(
    `<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n    <title>Bokeh applications</title>\n  </head>\n  <body>\n    <ul>\n${links}\n    </ul>\n  </body>\n</html>\n`,
  )
}
