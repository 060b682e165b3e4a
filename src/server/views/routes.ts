/**
 * The HTTP routes of the server (Python's `BokehTornado` handler list): which view answers a request,
 * after the method check each route makes (Tornado's handlers define only some methods: 405 for the rest,
 * before any work, so HEAD never builds a session), the ops endpoints (ahead of authentication) and the
 * auth provider's login/logout endpoints.
 */
import type { HTTPRequest } from "../../util/request.ts"
import type { AuthGate } from "../auth_gate.ts"
import type { ApplicationContext } from "../contexts.ts"
import type { OpsEndpoints } from "../health.ts"
import { text, type HTTPResponse } from "../http.ts"
import { autoload_js, autoload_preflight } from "./autoload_js.ts"
import type { ViewContext } from "./context.ts"
import { doc_page } from "./doc.ts"
import { favicon } from "./favicon.ts"
import { allow, GET, GET_HEAD, GET_OPTIONS } from "./methods.ts"
import { match_app } from "./match.ts"
import { metadata } from "./metadata.ts"
import { index_page } from "./root.ts"
import { static_file } from "./static.ts"

/** What routing reads from the core. */
export interface Routes {
  readonly view: ViewContext
  /** The apps, longest path first. */
  readonly apps: readonly ApplicationContext[]
  readonly auth: AuthGate
  readonly ops: OpsEndpoints | null
  readonly prefix: string
  readonly use_index: boolean
}

export async function route(r: Routes, request: HTTPRequest): Promise<HTTPResponse | null> {
  const path = request.path
  if (path === "/favicon.ico") return allow(request, GET) ?? favicon(r.view)
  // Probes and scrapers carry no user: ahead of authentication.
  if (r.ops !== null && path.startsWith(r.prefix)) {
    const ops = await r.ops.handle(request, path.slice(r.prefix.length))
    if (ops !== null) return ops
  }
  const endpoint = await r.auth.serve_endpoint(request)
  if (endpoint !== null) return endpoint
  if (!path.startsWith(r.prefix)) return null
  const local = path.slice(r.prefix.length)
  if (local.startsWith("/static/")) return allow(request, GET_HEAD) ?? static_file(r.view, request, local.slice("/static/".length))
  const matched = match_app(r.prefix, r.apps, path)
  if (matched !== null) {
    const { app, rest } = matched
    const page = rest === "" || rest === "/"
    if (page || rest === "/metadata" || rest === "/autoload.js") {
      const refused = allow(request, rest === "/autoload.js" ? GET_OPTIONS : GET)
      if (refused !== null) return refused
      if (request.method === "OPTIONS") return autoload_preflight(request)
      const denied = await r.auth.check(request)
      if (denied !== null) return denied
    }
    if (page) return await doc_page(r.view, app, request)
    if (rest === "/metadata") return metadata(app)
    if (rest === "/autoload.js") return await autoload_js(r.view, app, request)
    if (rest === "/ws") return allow(request, GET) ?? text(400, 'Can "Upgrade" only to "WebSocket".')
    const static_path = app.application.static_path
    if (rest.startsWith("/static/") && static_path !== null)
      return allow(request, GET_HEAD) ?? static_file(r.view, request, rest.slice("/static/".length), static_path)
  }
  if ((local === "" || local === "/") && r.use_index)
    return (
      allow(request, GET) ??
      (await r.auth.check(request)) ??
      (await index_page(
        r.view,
        r.apps.map((a) => a.url),
      ))
    )
  return null
}

/** The app whose websocket endpoint `path` (without query) is, if any. */
export function websocket_app(prefix: string, apps: readonly ApplicationContext[], path: string): ApplicationContext | null {
  const matched = match_app(prefix, apps, path)
  return matched?.rest === "/ws" ? matched.app : null
}
