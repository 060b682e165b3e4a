/**
 * Where the server applies its AuthProvider: the login/logout endpoints it serves, and the check
 * in front of app pages, autoload.js, metadata, the index and websocket upgrades (Tornado's
 * `@authenticated`). Without user hooks (NullAuth) every check is skipped at no cost.
 */
import type { HTTPRequest } from "../util/request.ts"
import { AuthProvider, NullAuth, type RequestHandlerClass } from "./auth_provider.ts"
import { text, type HTTPResponse } from "./http.ts"
import { RequestHandler, type HandlerSettings, type RequestWithBody } from "./request_handler.ts"

const NO_BODY = Buffer.alloc(0)

function with_body(request: HTTPRequest): RequestWithBody {
  return "body" in request ? (request as RequestWithBody) : { ...request, body: NO_BODY }
}

export class AuthGate {
  private readonly _endpoints: Map<string, RequestHandlerClass>

  constructor(
    readonly provider: AuthProvider = new NullAuth(),
    readonly settings: HandlerSettings = { cookie_secret: null, xsrf_cookies: false },
  ) {
    this._endpoints = new Map(provider.endpoints)
  }

  get enabled(): boolean {
    return this.provider.enabled
  }

  /** Whether `path` is a login/logout endpoint. */
  is_endpoint(path: string): boolean {
    return this._endpoints.has(path)
  }

  /** Serves `request` if it is for a login/logout endpoint; null otherwise. */
  async serve_endpoint(request: HTTPRequest): Promise<HTTPResponse | null> {
    const cls = this._endpoints.get(request.path)
    if (cls === undefined) return null
    const handler = new cls(with_body(request), this.settings)
    handler.current_user = await this.provider.current_user(handler)
    return await handler.execute()
  }

  /**
   * Null when the request may proceed; otherwise the answer for an anonymous request: a redirect to
   * the login URL for GET/HEAD, 403 for anything else (websocket upgrades included).
   */
  async check(request: HTTPRequest, redirect = true): Promise<HTTPResponse | null> {
    if (!this.enabled) return null
    const handler = new RequestHandler(with_body(request), this.settings)
    const user = await this.provider.current_user(handler)
    if (user !== null) return null
    if (redirect && (request.method === "GET" || request.method === "HEAD")) {
      return { status: 302, headers: { Location: this.provider.login_redirect(handler), "Content-Type": "text/plain; charset=UTF-8" }, body: "" }
    }
    return text(403, "403: Forbidden")
  }
}
