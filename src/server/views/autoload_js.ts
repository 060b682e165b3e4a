/**
 * `<app>/autoload.js` (Python's `AutoloadJsHandler`): a script that embeds a session's document in
 * another site's page, and the CORS preflight for it.
 */
import { autoload_js_script } from "../../embed/autoload.ts"
import { required_bundles } from "../../embed/bundle.ts"
import { loader_config } from "../../embed/bundle_loader.ts"
import { bundle_source, js_urls } from "../../embed/resources.ts"
import { get_argument, type HTTPRequest } from "../../util/request.ts"
import type { ApplicationContext } from "../contexts.ts"
import { text, type HTTPResponse } from "../http.ts"
import { compressed, root_url, type ViewContext } from "./context.ts"
import { get_session } from "./session_request.ts"

export async function autoload_js(context: ViewContext, app: ApplicationContext, request: HTTPRequest): Promise<HTTPResponse> {
  const element_id = get_argument(request.arguments, "bokeh-autoload-element")
  if (element_id === undefined) return text(400, "No bokeh-autoload-element query parameter")
  const app_path = get_argument(request.arguments, "bokeh-app-path") ?? "/"
  const absolute_url = get_argument(request.arguments, "bokeh-absolute-url")
  let root = root_url(context)
  if (absolute_url !== undefined) {
    try {
      const u = new URL(absolute_url)
      root = `${u.protocol}//${u.host}${context.prefix}/`
    } catch {
      return text(400, "bokeh-absolute-url is not a URL")
    }
  }
  const got = await get_session(context, app, request)
  if ("status" in got) return got
  // The bundles the session's document needs now; a loader fetches others if the session gains models needing them.
  const mode = context.resources
  const none = get_argument(request.arguments, "resources") === "none"
  const bundles = required_bundles(app.get_session(got.session_id)!.document.roots)
  const body = autoload_js_script({
    token: got.token,
    element_id,
    js_urls: none || mode === "inline" ? [] : js_urls(mode, root, bundles),
    js_sources: none || mode !== "inline" ? [] : await Promise.all(bundles.map(bundle_source)),
    ...(none ? {} : { loader: loader_config(mode, root, bundles) }),
    app_path,
    log_level: context.settings.log_level,
    ...(absolute_url !== undefined ? { absolute_url } : {}),
  })
  const origin = request.headers["Origin"]
  const allow_origin = origin !== undefined && Object.keys(request.cookies).length > 0 ? origin : "*"
  const response = {
    status: 200,
    headers: {
      "Content-Type": "application/javascript",
      "Access-Control-Allow-Origin": allow_origin,
      "Access-Control-Allow-Headers": "*",
      "Access-Control-Allow-Credentials": "true",
    },
    body,
  }
  return await compressed(context, request, response)
}

/** The CORS preflight (OPTIONS) for autoload.js. */
export function autoload_preflight(request: HTTPRequest): HTTPResponse {
  return {
    status: 200,
    headers: {
      "Access-Control-Allow-Methods": "PUT, GET, OPTIONS",
      "Access-Control-Allow-Origin": request.headers["Origin"] ?? "*",
      "Access-Control-Allow-Headers": "*",
      "Access-Control-Allow-Credentials": "true",
    },
    body: "",
  }
}
