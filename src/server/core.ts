/**
 * The transport-neutral Bokeh server (Python's `BokehTornado`): routes HTTP requests to pages,
 * autoload scripts, metadata and static files; admits websockets (origin, subprotocol, token) and
 * binds them to sessions; runs keep-alive pings and unused-session expiry. It never touches
 * sockets: `node/adapter.ts` feeds it requests and frames.
 */
import { readFile } from "node:fs/promises"

import type { Application } from "../application/application.ts"
import { ConfigError, TokenError } from "../core/errors.ts"
import { autoload_js_script } from "../embed/autoload.ts"
import { required_bundles } from "../embed/bundle.ts"
import { loader_config } from "../embed/bundle_loader.ts"
import { BOKEHJS_STATIC_DIR, bundle_source, js_urls, load_resource_hashes, RESOURCES_MODES, type ResourcesMode } from "../embed/resources.ts"
import { server_html_page_for_session } from "../embed/server_page.ts"
import { create_message } from "../protocol/message.ts"
import { resolve_settings, type Settings } from "../settings.ts"
import {
  check_session_id_signature, check_token_signature, generate_jwt_token, generate_session_id, get_session_id, get_token_payload,
  type SecretKey,
} from "../util/token.ts"
import nunjucks from "nunjucks"
import { AuthGate } from "./auth_gate.ts"
import { NullAuth } from "./auth_provider.ts"
import { ServerConnection, type ConnectionLimits } from "./connection.ts"
import { BoundedInbox } from "./inbox.ts"
import { ApplicationContext } from "./contexts.ts"
import { default_favicon } from "./favicon.ts"
import { html, json, redirect, text, type HTTPResponse } from "./http.ts"
import { log } from "../util/logging.ts"
import { repr } from "../util/repr.ts"
import { DEFAULTS, normalize_prefix, type ServerOptions } from "./options.ts"
import { check_allowlist, normalize_origins, origin_host } from "./origin.ts"
import { get_argument, type HTTPRequest } from "../util/request.ts"
import { compress_document } from "./compression.ts"
import { serve_static, type StaticRequest } from "./static_files.ts"
import { open_session_store } from "./session_store/open.ts"
import type { SessionPersistence } from "./session_store/persistence.ts"
import type { SessionStore } from "./session_store/types.ts"
import { check_token_fits } from "./token_fit.ts"
import { ServerCloseCodes, type WebSocketTransport } from "./transport.ts"
import { OpsEndpoints, ops_endpoints, readiness, type HealthSource } from "./health.ts"
import { NO_METRICS, type ServerMetrics } from "./metrics.ts"

/** What the adapter does with a websocket once upgraded: feed frames in, report the close. */
export interface WebSocketHandle {
  receive(fragment: string | Uint8Array): void
  /** The peer answered a keep-alive ping. */
  pong(): void
  closed(code: number, reason: string): void
}

/** The decision on an upgrade request, before any handshake. */
export type UpgradeDecision =
  | { readonly accept: true; readonly app: ApplicationContext }
  | { readonly accept: false; readonly response: HTTPResponse }

export class BokehServerCore {
  readonly prefix: string
  readonly websocket_origins: readonly string[]
  readonly websocket_max_message_size: number
  readonly connection_limits: ConnectionLimits
  /** Most frames ever queued on a websocket whose session did not exist yet (a statistic). */
  peak_pre_session_frames = 0
  /** The HTTP header limit of the listener serving us (set by the adapter): page tokens must fit under it. */
  header_limit: number
  private readonly _apps: ApplicationContext[]
  private readonly _options: ServerOptions
  /** Bokeh settings, resolved once (`options.settings`, else from the environment). */
  private readonly _settings: Settings
  private readonly _connections = new Set<ServerConnection>()
  private readonly _timers: NodeJS.Timeout[] = []
  private readonly _secret_key: SecretKey | null
  private readonly _sign_sessions: boolean
  private readonly _auth: AuthGate
  /** Whether responses are compressed (`--compress`, `BOKEH_COMPRESS`; on by default). */
  private readonly _compress: boolean
  private _started = false
  private _draining = false
  private readonly _ops_endpoints: ReturnType<typeof ops_endpoints>
  private _ops: OpsEndpoints | null = null
  private _closed_waiters: Array<() => void> = []
  /** What the server counts (`--metrics`); the session store reports resumes and writes here too. */
  metrics: ServerMetrics = NO_METRICS
  /** Writes sessions to the shared store and loads them back (`--session-store`); null without one. */
  readonly session_persistence: SessionPersistence | null

  /** `applications` maps app paths (`/`, `/name`) to applications; `origins` is the final allowlist. */
  constructor(applications: Readonly<Record<string, Application>>, options: ServerOptions = {}, origins: readonly string[] = []) {
    this._options = options
    this._settings = options.settings ?? resolve_settings()
    this.prefix = normalize_prefix(options.prefix)
    // As Python's websocket handler: the allowed_ws_origin setting (BOKEH_ALLOW_WS_ORIGIN), when set, replaces the option.
    const setting_origins = this._settings.allowed_ws_origin
    this.websocket_origins = normalize_origins(setting_origins.length > 0 ? [...setting_origins] : [...origins])
    this.websocket_max_message_size = options.websocket_max_message_size ?? DEFAULTS.websocket_max_message_size
    this.connection_limits = {
      max_buffered_bytes: options.websocket_max_buffered_bytes ?? DEFAULTS.websocket_max_buffered_bytes,
      stall_timeout_milliseconds: options.websocket_stall_timeout_milliseconds ?? DEFAULTS.websocket_stall_timeout_milliseconds,
      max_queued_messages: options.websocket_max_queued_messages ?? DEFAULTS.websocket_max_queued_messages,
    }
    this.header_limit = options.max_header_size ?? DEFAULTS.max_header_size
    this._sign_sessions = options.sign_sessions ?? this._settings.sign_sessions
    this._secret_key = options.secret_key ?? this._settings.secret_key
    if (this._sign_sessions && (this._secret_key === null || this._secret_key.length === 0))
      throw new ConfigError("BK_ERR_OPTION", "signed sessions need a secret key: set BOKEH_SECRET_KEY (generate one with `bokeh-ts secret`)")
    this._compress = options.compress ?? this._settings.compress
    this._auth = new AuthGate(options.auth_provider ?? new NullAuth(), { cookie_secret: options.cookie_secret ?? null, xsrf_cookies: options.xsrf_cookies ?? false })
    this._apps = Object.entries(applications)
      .map(([path, app]) => new ApplicationContext(app, path === "/" ? "/" : `/${path.replace(/^\/+|\/+$/g, "")}`, { scheduler: options.scheduler, on_app_fault: options.on_app_fault }))
      // Longest path first, so /a/b is tried before /a.
      .sort((a, b) => b.url.length - a.url.length)
    this._ops_endpoints = ops_endpoints(options, this.app_paths)
    this.session_persistence = open_session_store(options)
    for (const app of this._apps) app.persistence = this.session_persistence
  }

  /** The shared session store (`--session-store`), if any: `healthy()` says whether it is reachable. */
  get session_store(): SessionStore | undefined {
    return this.session_persistence?.store
  }

  /** Writes every changed session's state to the session store now (a no-op without a store). */
  async flush_sessions(): Promise<void> {
    await this.session_persistence?.flush_all()
  }

  /** Whether pages and websockets need an authenticated user (an auth provider with user hooks). */
  get auth_enabled(): boolean {
    return this._auth.enabled
  }

  /** Whether the adapter must read the request body first (form posts to login/logout endpoints). */
  wants_body(request: HTTPRequest): boolean {
    return this._auth.is_endpoint(request.path) && request.method !== "GET" && request.method !== "HEAD"
  }

  /** Tornado's `@authenticated` for websockets: null to proceed, else the refusal (403). */
  async authorize_upgrade(request: HTTPRequest): Promise<HTTPResponse | null> {
    return await this._auth.check(request, false)
  }

  /** permessage-deflate settings (`--websocket-compression-level`), or false: off, as Python's default. */
  get websocket_compression(): false | { level: number; mem_level?: number } {
    const level = this._options.websocket_compression_level
    if (level === undefined || level === null) return false
    const mem_level = this._options.websocket_compression_mem_level
    return mem_level === undefined || mem_level === null ? { level } : { level, mem_level }
  }

  get app_paths(): string[] {
    return this._apps.map((a) => a.url)
  }

  get application_contexts(): readonly ApplicationContext[] {
    return this._apps
  }

  /** The ServerConnections currently open. */
  get connections(): ReadonlySet<ServerConnection> {
    return this._connections
  }

  private get _signing() {
    return { signed: this._sign_sessions, secret_key: this._secret_key }
  }

  /** Computes resource hashes, runs `on_server_loaded` hooks and starts the periodic tasks. */
  async start(): Promise<void> {
    if (this._started) return
    this._started = true
    await load_resource_hashes()
    await this._start_ops()
    const persistence = this.session_persistence
    if (persistence !== null) {
      // Store writes reach the metrics (a no-op object without --metrics).
      persistence.on_write = ({ ok, duration_ms }) => (ok ? this.metrics.store_write(duration_ms / 1000) : this.metrics.store_write_failed())
      await persistence.connect()
    }
    await Promise.all(this._apps.map((a) => a.application.ready()))
    for (const app of this._apps) await app.run_load_hook()
    const keep_alive = this._options.keep_alive_milliseconds ?? DEFAULTS.keep_alive_milliseconds
    if (keep_alive > 0) this._every(keep_alive, () => { for (const c of this._connections) c.ping() })
    const check = this._options.check_unused_sessions_milliseconds ?? DEFAULTS.check_unused_sessions_milliseconds
    const lifetime = this._options.unused_session_lifetime_milliseconds ?? DEFAULTS.unused_session_lifetime_milliseconds
    this._every(check, () => { for (const app of this._apps) void app.cleanup_sessions(lifetime) })
  }

  /** Sets up the health and metrics endpoints asked for (prom-client is loaded only then). */
  private async _start_ops(): Promise<void> {
    const endpoints = this._ops_endpoints
    if (Object.keys(endpoints).length === 0) return
    let metrics = null
    if (endpoints.metrics !== undefined) {
      const { PrometheusMetrics } = await import("./prometheus.ts")
      const core = this
      metrics = new PrometheusMetrics({
        get open_sessions() { return core._apps.reduce((n, a) => n + a.session_count, 0) },
        get open_connections() { return core._connections.size },
        get ready() { return core.ready },
        get draining() { return core._draining },
      })
      this.metrics = metrics
      for (const app of this._apps) app.metrics = metrics
    }
    this._ops = new OpsEndpoints(endpoints, this, metrics)
  }

  /** True once a graceful drain began: new sessions are refused and readiness is false. */
  get draining(): boolean {
    return this._draining
  }

  /**
   * Whether the server accepts new sessions (what the readiness probe reports): not while draining, nor
   * while the session store (`session_store`, defined by the store when one is configured) is unreachable.
   */
  get ready(): boolean {
    return readiness(this as HealthSource).ready
  }

  /** Starts a graceful drain (see drain.ts): from now on new sessions and websockets are refused (503). */
  begin_drain(): void {
    this._draining = true
  }

  /** Resolves once no websocket is bound to a session any more. */
  connections_closed(): Promise<void> {
    if (this._connections.size === 0) return Promise.resolve()
    return new Promise((resolve) => this._closed_waiters.push(resolve))
  }

  /** Stops the periodic tasks, closes every websocket, discards sessions, runs `on_server_unloaded`. */
  async stop(): Promise<void> {
    for (const t of this._timers) clearInterval(t)
    this._timers.length = 0
    // A drain has written the sessions already, or ran out of time trying: stopping must not wait again.
    if (!this._draining) await this.flush_sessions()
    for (const c of [...this._connections]) c.close(ServerCloseCodes.GOING_AWAY, "server shutting down")
    for (const app of this._apps) {
      for (const s of app.sessions) await app.discard_session(s)
      if (this._started) await app.run_unload_hook()
    }
    await this.session_persistence?.store.close()
    this._started = false
  }


  private _every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms)
    timer.unref()
    this._timers.push(timer)
  }

  // ---------------------------------------------------------------------------------------------
  // routing

  /** Splits a request path into (app, rest after the app path), or null. */
  private _match_app(path: string): { app: ApplicationContext; rest: string } | null {
    if (!path.startsWith(this.prefix)) return null
    const local = path.slice(this.prefix.length)
    for (const app of this._apps) {
      const base = app.url === "/" ? "" : app.url
      if (local === base || local.startsWith(`${base}/`)) return { app, rest: local.slice(base.length) }
    }
    return null
  }

  /**
   * Handles a plain HTTP request (OPTIONS included); returns null when no route matches (the caller may
   * fall through). Each route serves the methods Bokeh's Tornado handler for it defines and answers 405
   * to the others before doing any work, so HEAD never builds a session.
   */
  async handle_http(request: HTTPRequest): Promise<HTTPResponse | null> {
    const path = request.path
    if (path === "/favicon.ico") return allow(request, GET) ?? this._favicon()
    // Probes and scrapers carry no user: ahead of authentication.
    if (this._ops !== null && path.startsWith(this.prefix)) {
      const ops = await this._ops.handle(request, path.slice(this.prefix.length))
      if (ops !== null) return ops
    }
    const endpoint = await this._auth.serve_endpoint(request)
    if (endpoint !== null) return endpoint
    if (!path.startsWith(this.prefix)) return null
    const local = path.slice(this.prefix.length)
    if (local.startsWith("/static/")) {
      return allow(request, GET_HEAD) ?? serve_static(BOKEHJS_STATIC_DIR, local.slice("/static/".length), this._static_request(request))
    }
    const matched = this._match_app(path)
    if (matched !== null) {
      const { app, rest } = matched
      const page = rest === "" || rest === "/"
      if (page || rest === "/metadata" || rest === "/autoload.js") {
        const refused = allow(request, rest === "/autoload.js" ? GET_OPTIONS : GET)
        if (refused !== null) return refused
        if (request.method === "OPTIONS") return this._preflight(request)
        const denied = await this._auth.check(request)
        if (denied !== null) return denied
      }
      if (page) return await this._compressed(request, await this._page(app, request))
      if (rest === "/metadata") return json({ url: app.url, data: app.application.get_metadata() ?? {} })
      if (rest === "/autoload.js") return await this._compressed(request, await this._autoload(app, request))
      if (rest === "/ws") return allow(request, GET) ?? text(400, "Can \"Upgrade\" only to \"WebSocket\".")
      if (rest.startsWith("/static/") && app.application.static_path !== null) {
        return allow(request, GET_HEAD) ?? serve_static(app.application.static_path, rest.slice("/static/".length), this._static_request(request))
      }
    }
    if ((local === "" || local === "/") && this._options.use_index !== false) return allow(request, GET) ?? (await this._auth.check(request)) ?? (await this._index())
    return null
  }

  private async _favicon(): Promise<HTTPResponse> {
    const setting = this._settings.ico_path
    const ico = this._options.ico_path ?? (setting.startsWith("default") ? undefined : setting)
    if (ico === "none") return text(404, "404: Not Found")
    const body = ico !== undefined ? await readFile(ico) : default_favicon()
    return { status: 200, headers: { "Content-Type": "image/x-icon", "Cache-Control": "max-age=86400" }, body }
  }

  private async _index(): Promise<HTTPResponse> {
    const paths = this._apps.map((a) => a.url).sort()
    if (this._options.redirect_root !== false && paths.length === 1 && this._options.index == null) return redirect(`${this.prefix}${paths[0]}`)
    const items = paths.map((p) => ({ url: `${this.prefix}${p}`, name: p }))
    if (this._options.index != null) {
      const source = await readFile(this._options.index, "utf8")
      return html(nunjucks.renderString(source, { prefix: this.prefix, items: items.map((i) => i.url) }))
    }
    const links = items.map((i) => `      <li><a href="${i.url}">${i.name}</a></li>`).join("\n")
    return html(`<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n    <title>Bokeh applications</title>\n  </head>\n  <body>\n    <ul>\n${links}\n    </ul>\n  </body>\n</html>\n`)
  }

  private _root_url(): string {
    return `${this.prefix}/`
  }

  private get _resources(): ResourcesMode {
    if (this._options.resources !== undefined) return this._options.resources
    const mode = this._settings.resources
    return RESOURCES_MODES.includes(mode as ResourcesMode) ? (mode as ResourcesMode) : "server"
  }


  private _static_request(request: HTTPRequest): StaticRequest {
    return {
      version: get_argument(request.arguments, "v"),
      if_none_match: request.headers["If-None-Match"],
      if_modified_since: request.headers["If-Modified-Since"],
      accept_encoding: request.headers["Accept-Encoding"],
      compress: this._compress,
    }
  }

  /** A page or autoload.js, compressed for the request when compression is on. */
  private async _compressed(request: HTTPRequest, response: HTTPResponse): Promise<HTTPResponse> {
    return this._compress ? await compress_document(response, request.headers["Accept-Encoding"]) : response
  }

  /**
   * Finds or creates the session a page or autoload request names (docs/protocol.md §7.3), minting a
   * token that carries the request's arguments (see `_token_extra`) and fits in its websocket upgrade.
   */
  private async _get_session(app: ApplicationContext, request: HTTPRequest): Promise<{ token: string; session_id: string } | HTTPResponse> {
    const arg_id = get_argument(request.arguments, "bokeh-session-id")
    const header_id = request.headers["Bokeh-Session-Id"]
    const arg_token = get_argument(request.arguments, "bokeh-token")
    if (arg_id !== undefined && header_id !== undefined) return text(403, "session ID was provided as an argument and header")
    let session_id = arg_id ?? header_id
    let token: string
    if (arg_token !== undefined) {
      if (session_id !== undefined) return text(403, "Both token and session ID were provided")
      try {
        session_id = get_session_id(arg_token)
      } catch {
        return text(403, "Invalid token or session ID")
      }
      token = arg_token
    } else {
      if (session_id === undefined) {
        if (this._options.generate_session_ids === false) return text(403, "No bokeh-session-id provided")
        session_id = generate_session_id(this._signing)
      }
      token = generate_jwt_token(session_id, {
        ...this._signing,
        expiration: this._options.session_token_expiration ?? DEFAULTS.session_token_expiration,
        extra_payload: { ...this._token_extra(request), ...app.application.process_request(request) },
      })
      try {
        check_token_fits(token, request, this.header_limit)
      } catch (error) {
        if (!(error instanceof TokenError)) throw error
        log.error(`Refusing to mint a session token: ${error.message}`)
        return text(431, `431: Request Header Fields Too Large [${error.code}]: ${error.message}`)
      }
    }
    if (!check_token_signature(token, this._signing) || !check_session_id_signature(session_id, this._signing)) return text(403, "Invalid token or session ID")
    if (this._draining && app.get_session(session_id) === undefined) return DRAINING
    await app.create_session_if_needed(session_id, request, token)
    return { token, session_id }
  }

  /**
   * What a page token carries besides the session id: the request's arguments (the app reads them from
   * the token when a websocket creates the session), and headers and cookies only when
   * `--include-*`/`--exclude-*` ask for them: the websocket upgrade carries its own, which the session
   * uses otherwise, and putting them in the token as well (as Bokeh does) can make the upgrade too large.
   */
  private _token_extra(request: HTTPRequest): Record<string, unknown> {
    const o = this._options
    const extra: Record<string, unknown> = { arguments: request.arguments }
    const headers = o.include_headers != null || o.exclude_headers != null ? pick(request.headers, o.include_headers, o.exclude_headers) : null
    const cookies = o.include_cookies != null || o.exclude_cookies != null ? pick(request.cookies, o.include_cookies, o.exclude_cookies) : null
    // The Cookie header is rebuilt from `cookies` on the other side (docs/protocol.md §2.4).
    if (headers !== null && cookies !== null && Object.keys(cookies).length > 0 && "Cookie" in headers && !(o.include_headers ?? []).includes("Cookie")) delete headers["Cookie"]
    if (headers !== null) extra["headers"] = headers
    if (cookies !== null) extra["cookies"] = cookies
    return extra
  }

  private async _page(app: ApplicationContext, request: HTTPRequest): Promise<HTTPResponse> {
    const got = await this._get_session(app, request)
    if ("status" in got) return got
    const session = app.get_session(got.session_id)!
    const page = await server_html_page_for_session(session.document, {
      token: got.token,
      resources: this._resources,
      root_url: this._root_url(),
      log_level: this._settings.log_level,
      template_dirs: app.application.handlers.flatMap((h) => (h as { template_dir?: string | null }).template_dir ?? []),
    })
    return html(page)
  }

  private async _autoload(app: ApplicationContext, request: HTTPRequest): Promise<HTTPResponse> {
    const element_id = get_argument(request.arguments, "bokeh-autoload-element")
    if (element_id === undefined) return text(400, "No bokeh-autoload-element query parameter")
    const app_path = get_argument(request.arguments, "bokeh-app-path") ?? "/"
    const absolute_url = get_argument(request.arguments, "bokeh-absolute-url")
    let root = this._root_url()
    if (absolute_url !== undefined) {
      try {
        const u = new URL(absolute_url)
        root = `${u.protocol}//${u.host}${this.prefix}/`
      } catch {
        return text(400, "bokeh-absolute-url is not a URL")
      }
    }
    const got = await this._get_session(app, request)
    if ("status" in got) return got
    // The bundles the session's document needs now; a loader fetches others if the session gains models needing them.
    const mode = this._resources
    const none = get_argument(request.arguments, "resources") === "none"
    const bundles = required_bundles(app.get_session(got.session_id)!.document.roots)
    const body = autoload_js_script({
      token: got.token,
      element_id,
      js_urls: none || mode === "inline" ? [] : js_urls(mode, root, bundles),
      js_sources: none || mode !== "inline" ? [] : await Promise.all(bundles.map(bundle_source)),
      ...(none ? {} : { loader: loader_config(mode, root, bundles) }),
      app_path,
      log_level: this._settings.log_level,
      ...(absolute_url !== undefined ? { absolute_url } : {}),
    })
    const origin = request.headers["Origin"]
    const allow_origin = origin !== undefined && Object.keys(request.cookies).length > 0 ? origin : "*"
    return {
      status: 200,
      headers: {
        "Content-Type": "application/javascript",
        "Access-Control-Allow-Origin": allow_origin,
        "Access-Control-Allow-Headers": "*",
        "Access-Control-Allow-Credentials": "true",
      },
      body,
    }
  }

  /** CORS preflight for autoload.js. */
  private _preflight(request: HTTPRequest): HTTPResponse {
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

  // ---------------------------------------------------------------------------------------------
  // websockets

  /** Whether `path` (without query) is an app's websocket endpoint: the cheap first half of `check_upgrade`. */
  is_websocket_path(path: string): boolean {
    return this._match_app(path)?.rest === "/ws"
  }

  /** Decides whether to upgrade: the path must be an app's `/ws` and the Origin allowed (403 otherwise). */
  check_upgrade(request: HTTPRequest): UpgradeDecision {
    const matched = this._match_app(request.path)
    if (matched === null || matched.rest !== "/ws") return { accept: false, response: text(404, "404: Not Found") }
    // Every websocket is about to be closed so that its client reconnects elsewhere: refuse before the handshake.
    if (this._draining) return { accept: false, response: DRAINING }
    const origin = request.headers["Origin"]
    if (origin !== undefined) {
      const host = origin_host(origin)
      if (host === null || !check_allowlist(host, this._allowlist())) {
        log.error(`Refusing websocket connection from Origin '${origin}'; use --allow-websocket-origin=${host ?? origin} or set BOKEH_ALLOW_WS_ORIGIN=${host ?? origin} to permit this; currently we allow origins ${JSON.stringify(this._allowlist())}`)
        return { accept: false, response: text(403, "Cross origin websockets not allowed") }
      }
    }
    return { accept: true, app: matched.app }
  }

  private _allowlist(): readonly string[] {
    return this.websocket_origins
  }

  /** The subprotocol to select for `Sec-WebSocket-Protocol: bokeh, <token>` (none unless exactly two entries). */
  static select_subprotocol(protocols: readonly string[]): string | false {
    return protocols.length === 2 ? protocols[0]! : false
  }

  /**
   * Binds an upgraded websocket to its session. `protocols` is the offered subprotocol list and
   * `selected` what the handshake selected. Checks the token (refusing as Python does: see
   * `refuse` below), creates the session if needed, then sends ACK.
   */
  open_websocket(app: ApplicationContext, request: HTTPRequest, protocols: readonly string[], selected: string | false, transport: WebSocketTransport): WebSocketHandle {
    log.info("WebSocket connection opened")
    // Frames sent before the session exists wait here, as boundedly as on a connection (a message is at least 3 frames).
    const queued = new BoundedInbox<string | Uint8Array>(3 * Math.max(1, this.connection_limits.max_queued_messages), () => transport.pause?.(), () => transport.resume?.())
    let connection: ServerConnection | null = null
    let closed = false
    // Open-time refusals as Python's WSHandler.open (docs/protocol.md §1.5, §4.4): an empty close frame (the
    // client sees 1005) for subprotocol, missing-token and expiry failures; tokens that cannot be decoded
    // or whose signature fails make Tornado abort the connection (no close frame: 1006). The reason is
    // only logged, here as there.
    const refuse = (reason: string, how: "close" | "abort" = "close") => {
      log.error(`Refusing websocket connection: ${reason}`)
      closed = true
      if (how === "abort") transport.abort()
      else transport.close(null, "")
    }
    const handle: WebSocketHandle = {
      receive: (fragment) => {
        if (connection !== null) connection.receive(fragment)
        else if (!closed) {
          queued.push(fragment)
          if (queued.length > this.peak_pre_session_frames) this.peak_pre_session_frames = queued.length
        }
      },
      pong: () => connection?.pong(),
      closed: (code, reason) => {
        closed = true
        log.info(`WebSocket connection closed: code=${code}, reason=${repr(reason)}`)
        queued.clear()
        if (connection !== null) {
          this._connections.delete(connection)
          connection._detach()
          if (this._connections.size === 0) for (const w of this._closed_waiters.splice(0)) w()
        }
      },
    }
    const token = protocols[1]
    if (selected !== "bokeh") {
      refuse("Subprotocol header is not 'bokeh'")
      return handle
    }
    if (token === undefined || token === "") {
      refuse("No token received in subprotocol header")
      return handle
    }
    let session_id: string
    let payload
    try {
      session_id = get_session_id(token)
      payload = get_token_payload(token)
    } catch (error) {
      refuse(`Invalid token: ${error instanceof Error ? error.message : String(error)}`, "abort")
      return handle
    }
    if (typeof payload.session_expiry !== "number") {
      refuse("Session expiry has not been provided")
      return handle
    }
    if (Math.floor(Date.now() / 1000) >= payload.session_expiry) {
      refuse("Token is expired.")
      return handle
    }
    if (!check_token_signature(token, this._signing)) {
      refuse(`Token for session ${repr(session_id)} had invalid signature`, "abort")
      return handle
    }
    void this._session_for_websocket(app, session_id, request, token).then(
      (session) => {
        if (closed) return
        if (session.destroyed) {
          transport.close(ServerCloseCodes.GOING_AWAY, "session was discarded")
          return
        }
        if (this._draining) {
          transport.close(ServerCloseCodes.GOING_AWAY, DRAINING_REASON)
          return
        }
        connection = new ServerConnection(session, transport, this.connection_limits, this.metrics)
        this._connections.add(connection)
        this.metrics.connection_opened()
        session.subscribe(connection)
        app.persistence?.connected(session)
        log.info("ServerConnection created")
        connection.send_message(create_message("ACK", {}))
        const frames = queued.take_all()
        // The connection's own inbox takes over (and pauses reading again if these fill it).
        if (queued.paused) transport.resume?.()
        for (const f of frames) connection.receive(f)
      },
      (error: unknown) => {
        log.error(`could not create session ${repr(session_id)}`, error)
        if (!closed) transport.close(10000, "server failed to create the session")
      },
    )
    return handle
  }

  /**
   * The session a websocket binds to. With a session store, a local copy nobody is connected to that
   * another process has written since (the browser moved there, then came back) is stale: it is
   * discarded and the session resumes from the store.
   */
  private async _session_for_websocket(app: ApplicationContext, id: string, request: HTTPRequest, token: string) {
    const local = app.get_session(id)
    if (local !== undefined && local.connection_count === 0 && app.persistence !== null && (await app.persistence.owned_elsewhere(id))) {
      log.info(`Session ${repr(id)} was written by another process since this one held it: resuming it from the session store`)
      await app.discard_session(local)
    }
    return await app.create_session_if_needed(id, request, token)
  }
}

/** The close reason websockets get when a drain closes them: BokehJS reconnects on any close it did not ask for. */
export const DRAINING_REASON = "server is draining: reconnect"
const DRAINING: HTTPResponse = { status: 503, headers: { "Content-Type": "text/plain; charset=UTF-8", "Retry-After": "1" }, body: "503: Service Unavailable (the server is draining)" }

const GET: readonly string[] = ["GET"]
const GET_HEAD: readonly string[] = ["GET", "HEAD"]
const GET_OPTIONS: readonly string[] = ["GET", "OPTIONS"]

/** Null if the route serves `request.method`, else Tornado's 405 (with the Allow header HTTP asks for). */
function allow(request: HTTPRequest, methods: readonly string[]): HTTPResponse | null {
  if (methods.includes(request.method)) return null
  return { status: 405, headers: { "Content-Type": "text/plain; charset=UTF-8", Allow: methods.join(", ") }, body: "405: Method Not Allowed" }
}

function pick(record: Readonly<Record<string, string>>, include: readonly string[] | null | undefined, exclude: readonly string[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(record)) {
    if (include != null && !include.includes(k)) continue
    if (exclude != null && exclude.includes(k)) continue
    out[k] = v
  }
  return out
}
