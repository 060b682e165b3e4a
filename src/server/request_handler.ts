/**
 * `RequestHandler`: the shape of Tornado's RequestHandler that Bokeh auth modules are written
 * against (`get_argument`, `get_secure_cookie`, `set_secure_cookie`, `redirect`, `write`, XSRF), so a
 * `LoginHandler` / `LogoutHandler` and `get_user(request_handler)` port from Python line by line:
 *
 * ```ts
 * export class LoginHandler extends RequestHandler {
 *   get() { this.write(`<form method="post">${this.xsrf_form_html()}…</form>`) }
 *   post() {
 *     this.set_secure_cookie("user", this.get_argument("username"))
 *     this.redirect(this.get_argument("next", "/"))
 *   }
 * }
 * ```
 */
import { randomBytes, timingSafeEqual } from "node:crypto"

import { BokehError, ConfigError, UsageError } from "../core/errors.ts"
import { escape_html } from "../util/html.ts"
import { parse_query_arguments, type HTTPRequest, type RequestArguments } from "../util/request.ts"
import type { HTTPResponse } from "./http.ts"
import { create_signed_value, decode_signed_value, DEFAULT_MAX_AGE_DAYS } from "./secure_cookie.ts"

/** An HTTP request with its body (read only for auth endpoints, which may receive form posts). */
export interface RequestWithBody extends HTTPRequest {
  readonly body: Buffer
}

/** Raised by handlers (or `get_argument`) to answer with an error status, as Tornado's HTTPError. */
export class HTTPError extends BokehError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super("BK_ERR_HTTP_STATUS", message)
  }
}

export interface HandlerSettings {
  /** `--cookie-secret`: needed for secure cookies and XSRF. */
  readonly cookie_secret: string | null
  /** `--enable-xsrf-cookies`: POST/PUT/DELETE must echo the `_xsrf` cookie. */
  readonly xsrf_cookies: boolean
}

export interface CookieOptions {
  path?: string
  expires_days?: number
  httponly?: boolean
  secure?: boolean
  samesite?: "Strict" | "Lax" | "None"
}

const METHODS = new Set(["get", "post", "put", "delete", "patch"])
const UNSAFE_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"])

/** RFC 6265 cookie-octets (no space, quote, comma, semicolon or backslash): sent as they are. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

function cookie_header(name: string, value: string, options: CookieOptions = {}): string {
  // As Tornado, invalid cookies are the handler's bug, reported rather than silently mangled.
  if (!COOKIE_NAME.test(name) || !COOKIE_VALUE.test(value))
    throw new UsageError("BK_ERR_MISUSE", `invalid cookie ${JSON.stringify(name)}=${JSON.stringify(value)}: encode the value first (e.g. encodeURIComponent)`)
  let header = `${name}=${value}; Path=${options.path ?? "/"}`
  if (options.expires_days !== undefined) header += `; Expires=${new Date(Date.now() + options.expires_days * 86400_000).toUTCString()}`
  if (options.httponly === true) header += "; HttpOnly"
  if (options.secure === true) header += "; Secure"
  if (options.samesite !== undefined) header += `; SameSite=${options.samesite}`
  return header
}

export class RequestHandler {
  /** Set by the server from the auth provider before `get()`/`post()` run (null: anonymous). */
  current_user: unknown = null
  private _status = 200
  private readonly _headers: Record<string, string | string[]> = { "Content-Type": "text/html; charset=UTF-8" }
  private readonly _set_cookies: string[] = []
  private readonly _chunks: string[] = []
  private readonly _cookies: Record<string, string>
  private _form: RequestArguments | null = null
  private _xsrf: string | null = null

  constructor(
    readonly request: RequestWithBody,
    readonly settings: HandlerSettings = { cookie_secret: null, xsrf_cookies: false },
  ) {
    this._cookies = { ...request.cookies }
  }

  // Subclasses define get() / post() / put() / delete() / patch(). They are not declared here so
  // that defining them needs no `override` (they override nothing).

  // input -----------------------------------------------------------------------------------------

  /** Query and form-body values of `name` (Tornado's `get_arguments`). */
  get_arguments(name: string): string[] {
    const values = [...(this.request.arguments[name] ?? []), ...(this._form_arguments()[name] ?? [])]
    return values.map((v) => v.toString("utf8"))
  }

  /** The last value of `name`; `fallback` if absent, else HTTP 400 "Missing argument". */
  get_argument(name: string, fallback?: string): string {
    const values = this.get_arguments(name)
    if (values.length > 0) return values[values.length - 1]!
    if (fallback !== undefined) return fallback
    throw new HTTPError(400, `Missing argument ${name}`)
  }

  get_cookie(name: string, fallback?: string): string | undefined {
    return this._cookies[name] ?? fallback
  }

  /** A cookie set with `set_secure_cookie` (needs `cookie_secret`); null if absent, forged or too old. */
  get_secure_cookie(name: string, max_age_days = DEFAULT_MAX_AGE_DAYS): string | null {
    return decode_signed_value(this._secret(), name, this._cookies[name], max_age_days)
  }

  // output ----------------------------------------------------------------------------------------

  set_status(status: number): void {
    this._status = status
  }

  set_header(name: string, value: string): void {
    this._headers[name] = value
  }

  write(chunk: string | Record<string, unknown>): void {
    if (typeof chunk === "string") this._chunks.push(chunk)
    else {
      this._headers["Content-Type"] = "application/json; charset=UTF-8"
      this._chunks.push(JSON.stringify(chunk))
    }
  }

  redirect(url: string, status = 302): void {
    this._status = status
    this._headers["Location"] = url
  }

  set_cookie(name: string, value: string, options: CookieOptions = {}): void {
    this._cookies[name] = value
    this._set_cookies.push(cookie_header(name, value, options))
  }

  set_secure_cookie(name: string, value: string, options: CookieOptions = {}): void {
    this.set_cookie(name, create_signed_value(this._secret(), name, value), { expires_days: 30, httponly: true, ...options })
  }

  clear_cookie(name: string, options: CookieOptions = {}): void {
    delete this._cookies[name]
    this._set_cookies.push(`${name}=; Path=${options.path ?? "/"}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`)
  }

  /** The XSRF token for forms (also sets the `_xsrf` cookie when it is new). */
  get xsrf_token(): string {
    if (this._xsrf === null) {
      const existing = this._cookies["_xsrf"]
      this._xsrf = existing !== undefined && /^[0-9a-f]{32}$/.test(existing) ? existing : randomBytes(16).toString("hex")
      if (existing !== this._xsrf) this.set_cookie("_xsrf", this._xsrf, { samesite: "Lax" })
    }
    return this._xsrf
  }

  /** `<input type="hidden" name="_xsrf" …>` for a form that POSTs back. */
  xsrf_form_html(): string {
    return `<input type="hidden" name="_xsrf" value="${escape_html(this.xsrf_token)}"/>`
  }

  // lifecycle -------------------------------------------------------------------------------------

  /** Runs the method's handler and returns the response (errors become their status). */
  async execute(): Promise<HTTPResponse> {
    try {
      const method = this.request.method.toLowerCase()
      const handler = METHODS.has(method) ? (this as unknown as Record<string, unknown>)[method] : undefined
      if (typeof handler !== "function") throw new HTTPError(405, "Method Not Allowed")
      if (this.settings.xsrf_cookies && UNSAFE_METHODS.has(this.request.method)) this._check_xsrf()
      await (handler as () => unknown).call(this)
    } catch (error) {
      if (!(error instanceof HTTPError)) throw error
      return { status: error.status, headers: { "Content-Type": "text/plain; charset=UTF-8" }, body: `${error.status}: ${error.message}` }
    }
    const headers: Record<string, string | string[]> = { ...this._headers }
    if (this._set_cookies.length > 0) headers["Set-Cookie"] = this._set_cookies
    return { status: this._status, headers, body: this._chunks.join("") }
  }

  private _form_arguments(): RequestArguments {
    if (this._form === null) {
      const type = this.request.headers["Content-Type"] ?? ""
      this._form = type.startsWith("application/x-www-form-urlencoded") ? parse_query_arguments(this.request.body.toString("latin1")) : {}
    }
    return this._form
  }

  private _secret(): string {
    const secret = this.settings.cookie_secret
    if (secret === null || secret === "") throw new ConfigError("BK_ERR_OPTION", "secure cookies need a cookie secret (--cookie-secret or BOKEH_COOKIE_SECRET)")
    return secret
  }

  private _check_xsrf(): void {
    const given = this.get_arguments("_xsrf").at(-1) ?? this.request.headers["X-Xsrftoken"] ?? this.request.headers["X-Csrftoken"]
    if (given === undefined) throw new HTTPError(403, "'_xsrf' argument missing from POST")
    const cookie = this._cookies["_xsrf"]
    // Compared as bytes: equal string lengths can still differ in UTF-8 length (timingSafeEqual would throw).
    const [expected, got] = [Buffer.from(cookie ?? ""), Buffer.from(given)]
    if (cookie === undefined || expected.length !== got.length || !timingSafeEqual(expected, got))
      throw new HTTPError(403, "XSRF cookie does not match POST argument")
  }
}
