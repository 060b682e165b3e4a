/**
 * The transport-neutral Bokeh server (Python's `BokehTornado`): resolves its settings once, routes
 * HTTP requests to the views in `views/` (one module per handler, as Python's `server/views/`), decides
 * websocket upgrades, and runs the lifecycle: start, keep-alive pings, unused-session expiry, drain, stop.
 * It never touches sockets: an adapter (`node/adapter.ts`, `in_process.ts`) calls its two entry points,
 * `handle(request)` and `upgrade(request)`, and feeds accepted websockets' frames to `open_websocket`.
 */
import type { Application } from "../application/application.ts"
import { load_resource_hashes } from "../embed/resources.ts"
import { log } from "../util/logging.ts"
import type { HTTPRequest } from "../util/request.ts"
import { AuthGate } from "./auth_gate.ts"
import { NullAuth } from "./auth_provider.ts"
import type { ConnectionLimits, ServerConnection } from "./connection.ts"
import { ApplicationContext } from "./contexts.ts"
import { ops_endpoints, readiness, type HealthSource, type OpsEndpoints } from "./health.ts"
import type { HTTPResponse } from "./http.ts"
import { NO_METRICS, type ServerMetrics } from "./metrics.ts"
import { DEFAULTS, type ServerOptions } from "./options.ts"
import { open_session_store } from "./session_store/open.ts"
import type { SessionPersistence } from "./session_store/persistence.ts"
import type { SessionStore } from "./session_store/types.ts"
import { ServerCloseCodes, type WebSocketTransport } from "./transport.ts"
import type { ViewContext } from "./views/context.ts"
import { start_ops } from "./views/ops.ts"
import { route, websocket_app, type Routes } from "./views/routes.ts"
import { resolve_core_settings, type CoreSettings } from "./views/settings.ts"
import { select_subprotocol, WebSocketView, type UpgradeDecision, type WebSocketHandle } from "./views/ws.ts"

export { DRAINING_REASON } from "./views/context.ts"
export type { UpgradeDecision, WebSocketHandle } from "./views/ws.ts"

export class BokehServerCore {
  readonly prefix: string
  readonly websocket_origins: readonly string[]
  readonly websocket_max_message_size: number
  /** permessage-deflate settings (`--websocket-compression-level`), or false: off, as Python's default. */
  readonly websocket_compression: CoreSettings["websocket_compression"]
  readonly connection_limits: ConnectionLimits
  /** The HTTP header limit of the listener serving us (set by the adapter): page tokens must fit under it. */
  header_limit: number
  private readonly _apps: ApplicationContext[]
  private readonly _options: ServerOptions
  private readonly _timers: NodeJS.Timeout[] = []
  private readonly _auth: AuthGate
  /** What the views read (see views/context.ts). */
  private readonly _view: ViewContext
  private readonly _ws: WebSocketView
  private _started = false
  private _draining = false
  private readonly _ops_endpoints: ReturnType<typeof ops_endpoints>
  private _ops: OpsEndpoints | null = null
  /** What routing reads, built once (the ops endpoints exist once `start` ran). */
  private readonly _routes: Routes
  /** What the server counts (`--metrics`); the session store reports resumes and writes here too. */
  metrics: ServerMetrics = NO_METRICS
  /** Writes sessions to the shared store and loads them back (`--session-store`); null without one. */
  readonly session_persistence: SessionPersistence | null

  /** `applications` maps app paths (`/`, `/name`) to applications; `origins` is the final allowlist. */
  constructor(applications: Readonly<Record<string, Application>>, options: ServerOptions = {}, origins: readonly string[] = []) {
    const resolved = resolve_core_settings(options, origins)
    this._options = options
    this.prefix = resolved.prefix
    this.websocket_origins = resolved.websocket_origins
    this.websocket_max_message_size = resolved.websocket_max_message_size
    this.websocket_compression = resolved.websocket_compression
    this.connection_limits = resolved.connection_limits
    this.header_limit = options.max_header_size ?? DEFAULTS.max_header_size
    const core = this
    this._view = {
      ...resolved,
      get header_limit() {
        return core.header_limit
      },
      get draining() {
        return core._draining
      },
      get metrics() {
        return core.metrics
      },
    }
    this._ws = new WebSocketView(this._view)
    this._auth = new AuthGate(options.auth_provider ?? new NullAuth(), {
      cookie_secret: options.cookie_secret ?? null,
      xsrf_cookies: options.xsrf_cookies ?? false,
    })
    this._apps = Object.entries(applications)
      .map(
        ([path, app]) =>
          new ApplicationContext(app, path === "/" ? "/" : `/${path.replace(/^\/+|\/+$/g, "")}`, {
            scheduler: options.scheduler,
            on_app_fault: options.on_app_fault,
          }),
      )
      // Longest path first, so /a/b is tried before /a.
      .sort((a, b) => b.url.length - a.url.length)
    this._ops_endpoints = ops_endpoints(options, this.app_paths)
    this._routes = {
      view: this._view,
      apps: this._apps,
      auth: this._auth,
      get ops() {
        return core._ops
      },
      prefix: this.prefix,
      use_index: options.use_index !== false,
    }
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

  get app_paths(): string[] {
    return this._apps.map((a) => a.url)
  }

  get application_contexts(): readonly ApplicationContext[] {
    return this._apps
  }

  /** The ServerConnections currently open. */
  get connections(): ReadonlySet<ServerConnection> {
    return this._ws.connections
  }

  /** Sessions open in all apps, and websockets bound to them (what the metrics report). */
  get open_sessions(): number {
    return this._apps.reduce((n, a) => n + a.session_count, 0)
  }

  get open_connections(): number {
    return this._ws.connections.size
  }

  /** Most frames ever queued on a websocket whose session did not exist yet (a statistic). */
  get peak_pre_session_frames(): number {
    return this._ws.peak_pre_session_frames
  }

  /** Computes resource hashes, runs `on_server_loaded` hooks and starts the periodic tasks. */
  async start(): Promise<void> {
    if (this._started) return
    this._started = true
    await load_resource_hashes()
    const ops = await start_ops(this._ops_endpoints, this)
    this._ops = ops?.endpoints ?? null
    if (ops?.metrics != null) {
      this.metrics = ops.metrics
      for (const app of this._apps) app.metrics = ops.metrics
    }
    const persistence = this.session_persistence
    if (persistence !== null) {
      // Store writes reach the metrics (a no-op object without --metrics).
      persistence.on_write = ({ ok, duration_ms, bytes }) => (ok ? this.metrics.store_write(duration_ms / 1000, bytes) : this.metrics.store_write_failed())
      await persistence.connect()
    }
    await Promise.all(this._apps.map((a) => a.application.ready()))
    for (const app of this._apps) await app.run_load_hook()
    const keep_alive = this._options.keep_alive_milliseconds ?? DEFAULTS.keep_alive_milliseconds
    if (keep_alive > 0)
      this._every(keep_alive, () => {
        for (const c of this._ws.connections) c.ping()
      })
    const check = this._options.check_unused_sessions_milliseconds ?? DEFAULTS.check_unused_sessions_milliseconds
    const lifetime = this._options.unused_session_lifetime_milliseconds ?? DEFAULTS.unused_session_lifetime_milliseconds
    this._every(check, () => {
      for (const app of this._apps) void app.cleanup_sessions(lifetime)
    })
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
    return this._ws.connections_closed()
  }

  /** Stops the periodic tasks, closes every websocket, discards sessions, runs `on_server_unloaded`. */
  async stop(): Promise<void> {
    for (const t of this._timers) clearInterval(t)
    this._timers.length = 0
    // A drain has written the sessions already, or ran out of time trying: stopping must not wait again.
    if (!this._draining) await this.flush_sessions()
    for (const c of [...this._ws.connections]) c.close(ServerCloseCodes.GOING_AWAY, "server shutting down")
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
  // routing (the views are in views/)

  /**
   * The entry point for a plain HTTP request (OPTIONS included); resolves to null when no route matches
   * (the adapter answers 404 or falls through). Each route serves the methods Bokeh's Tornado handler for
   * it defines and answers 405 to the others before doing any work, so HEAD never builds a session.
   */
  async handle(request: HTTPRequest): Promise<HTTPResponse | null> {
    return await route(this._routes, request)
  }

  /** The former name of `handle`. */
  handle_http(request: HTTPRequest): Promise<HTTPResponse | null> {
    return this.handle(request)
  }

  /**
   * The entry point for a websocket upgrade request, before any handshake: path (404), drain (503),
   * origin (403), then authentication. On accept the adapter does the handshake and calls `open_websocket`.
   */
  async upgrade(request: HTTPRequest): Promise<UpgradeDecision> {
    return await this._ws.upgrade(request, this._websocket_app(request.path), this._auth)
  }

  /** The synchronous part of `upgrade`: path, drain and origin, without authentication. */
  check_upgrade(request: HTTPRequest): UpgradeDecision {
    return this._ws.check(request, this._websocket_app(request.path))
  }

  /** Whether `path` (without query) is an app's websocket endpoint: the cheap first step of `upgrade`. */
  is_websocket_path(path: string): boolean {
    return this._websocket_app(path) !== null
  }

  private _websocket_app(path: string): ApplicationContext | null {
    return websocket_app(this.prefix, this._apps, path)
  }

  /** The subprotocol to select for `Sec-WebSocket-Protocol: bokeh, <token>` (none unless exactly two entries). */
  static select_subprotocol(protocols: readonly string[]): string | false {
    return select_subprotocol(protocols)
  }

  /** Binds an upgraded websocket to its session (see `WebSocketView.open`). */
  open_websocket(
    app: ApplicationContext,
    request: HTTPRequest,
    protocols: readonly string[],
    selected: string | false,
    transport: WebSocketTransport,
  ): WebSocketHandle {
    return this._ws.open(app, request, protocols, selected, transport)
  }
}
