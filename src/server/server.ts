/**
 * `Server`: Bokeh applications on a `node:http` server — standalone (`start()` listens) or mounted
 * in an existing server (`attach(http_server)`) or Express app (`handle_request` as middleware,
 * `handle_upgrade` for websockets).
 *
 * ```ts
 * const server = new Server({ "/app": new Application(make_doc) }, { port: 5006 })
 * await server.start()
 * ```
 */
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type Server as HTTPServer, type ServerResponse } from "node:http"
import { createServer as create_https_server } from "node:https"
import type { AddressInfo } from "node:net"
import type { Duplex } from "node:stream"

import { Application } from "../application/application.ts"
import type { ModifyDocument } from "../application/handlers/function.ts"
import { ConfigError, UsageError } from "../core/errors.ts"
import { BOKEHJS_VERSION, VERSION } from "../core/version.ts"
import { BokehServerCore } from "./core.ts"
import { get_browser_controller } from "../util/browser.ts"
import { log } from "../util/logging.ts"
import { NodeAdapter } from "./node/adapter.ts"
import { BaseServer } from "./base_server.ts"
import { DEFAULTS, type ServerOptions } from "./options.ts"
import { start_stats_logging } from "./stats_log.ts"
import { drain } from "./drain.ts"

export type ApplicationLike = Application | ModifyDocument

/** How long `stop()` lets requests under way finish before it closes their connections. */
const REQUESTS_GRACE_MS = 1000

export class Server extends BaseServer {
  private readonly _options: ServerOptions
  private readonly _applications: Record<string, Application>
  private _owns_http = false
  private _stop_stats_logging: (() => void) | null = null

  /** `applications`: app path → Application (or a `(doc) => …` function). A bare Application/function is served at `/`. */
  constructor(applications: Readonly<Record<string, ApplicationLike>> | ApplicationLike, options: ServerOptions = {}) {
    super()
    const apps = typeof applications === "function" || applications instanceof Application ? { "/": applications } : applications
    this._applications = Object.fromEntries(Object.entries(apps).map(([k, v]) => [k, v instanceof Application ? v : new Application(v)]))
    this._options = options
    const port = options.port ?? DEFAULTS.port
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError("BK_ERR_OPTION", `port must be an integer in 0..65535, got ${port}`)
    if (options.unix_socket !== undefined) {
      // As bokeh serve: a unix socket replaces the TCP listener, and TLS is left to the proxy in front.
      const clashing = (["port", "address", "ssl_certfile", "ssl_keyfile"] as const).filter((k) => options[k] !== undefined)
      if (clashing.length > 0) throw new ConfigError("BK_ERR_OPTION", `${clashing.join(", ")} cannot be used with unix_socket`)
    }
    if (options.ssl_keyfile !== undefined && options.ssl_certfile === undefined) throw new ConfigError("BK_ERR_OPTION", "ssl_keyfile needs ssl_certfile")
  }

  /** Whether pages and websockets are served over TLS (https/wss). */
  get ssl(): boolean {
    return this._options.ssl_certfile !== undefined
  }

  /** The unix socket path listened on, if any. */
  get unix_socket(): string | undefined {
    return this._options.unix_socket
  }

  /** The port listened on (the real one after `start()` with port 0). */
  override get port(): number {
    const address = this._http?.address()
    return address !== null && address !== undefined && typeof address === "object" ? (address as AddressInfo).port : (this._options.port ?? DEFAULTS.port)
  }

  get address(): string | undefined {
    return this._options.address
  }

  private _make_core(port: number): BokehServerCore {
    const origins = this._options.allow_websocket_origin ?? [`localhost:${port}`]
    const core = new BokehServerCore(this._applications, this._options, origins)
    this._core = core
    this._adapter = new NodeAdapter(core, { use_xheaders: this._options.use_xheaders ?? false })
    return core
  }

  /** Listens on `port`/`address` and starts serving. */
  override async start(): Promise<void> {
    if (this._http !== null) return
    const http = this._create_listener()
    this._http = http
    this._owns_http = true
    const unix_socket = this._options.unix_socket
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject)
      const listening = () => {
        http.off("error", reject)
        resolve()
      }
      if (unix_socket !== undefined) http.listen(unix_socket, listening)
      else http.listen(this._options.port ?? DEFAULTS.port, this._options.address, listening)
    }).catch((error: unknown) => {
      this._http = null
      throw new ConfigError(
        "BK_ERR_OPTION",
        `cannot listen on ${unix_socket ?? `${this._options.address ?? "*"}:${this._options.port ?? DEFAULTS.port}`}: ${(error as Error).message}`,
        { cause: error },
      )
    })
    // The default origin needs the real port, known only now when port 0 was asked for.
    let core: BokehServerCore
    try {
      core = this._make_core(this.port)
      this._adapter!.attach(http)
      await core.start()
    } catch (error) {
      // A configuration the core refuses must not leave the port open.
      await this.stop()
      throw error
    }
    this._stop_stats_logging = start_stats_logging(core, this._options)
    log.info(`Starting Bokeh server version ${VERSION} (BokehJS ${BOKEHJS_VERSION}, running on Node ${process.version})`)
    log.info(
      this._options.auth_provider?.enabled === true
        ? "User authentication hooks provided (no default user)"
        : "User authentication hooks NOT provided (default user enabled)",
    )
    if (unix_socket !== undefined) log.info(`Bokeh server listening on unix socket ${unix_socket}`)
    else for (const path of core.app_paths.sort()) log.info(`Bokeh app running at: ${this.url_for(path)}`)
    log.info(`Starting Bokeh server with process id: ${process.pid}`)
  }

  /** A plain node:http server, or node:https when a certificate is configured. */
  private _create_listener(): HTTPServer {
    const { ssl_certfile, ssl_keyfile, ssl_password } = this._options
    // Tornado's header limit (64 KiB by default), not node's 16 KiB: page tokens and cookies must fit in upgrades.
    const maxHeaderSize = this._options.max_header_size ?? DEFAULTS.max_header_size
    if (ssl_certfile === undefined) return createServer({ maxHeaderSize })
    const read = (path: string) => {
      try {
        return readFileSync(path)
      } catch (error) {
        throw new ConfigError("BK_ERR_OPTION", `cannot read SSL file ${path}: ${(error as Error).message}`, { cause: error })
      }
    }
    const cert = read(ssl_certfile)
    try {
      // node:https's server is an http.Server as far as routing and upgrades are concerned.
      return create_https_server({
        maxHeaderSize,
        cert,
        key: ssl_keyfile !== undefined ? read(ssl_keyfile) : cert,
        passphrase: ssl_password,
      }) as unknown as HTTPServer
    } catch (error) {
      throw new ConfigError("BK_ERR_OPTION", `invalid SSL certificate or key: ${(error as Error).message}`, { cause: error })
    }
  }

  /**
   * Mounts the server on an existing node:http server (which the caller listens and closes). With
   * no explicit `allow_websocket_origin`, `localhost:<port>` of the server's port is allowed.
   */
  async attach(http: HTTPServer): Promise<void> {
    if (this._core !== null) throw new UsageError("BK_ERR_MISUSE", "the server is already started")
    this._http = http
    const address = http.address()
    const port = address !== null && typeof address === "object" ? address.port : (this._options.port ?? DEFAULTS.port)
    const core = this._make_core(port)
    this._adapter!.attach(http)
    await core.start()
    this._stop_stats_logging = start_stats_logging(core, this._options)
  }

  /** Express/connect-style middleware: Bokeh routes are answered, others passed to `next`. */
  handle_request(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void {
    if (this._adapter === null) throw new UsageError("BK_ERR_MISUSE", "call start() or attach() first")
    this._adapter.handle_request(req, res, next)
  }

  /** An `upgrade` listener; returns false for paths that are not Bokeh websockets. */
  handle_upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (this._adapter === null) throw new UsageError("BK_ERR_MISUSE", "call start() or attach() first")
    return this._adapter.handle_upgrade(req, socket, head)
  }

  /** The http URL of an app path on this server. */
  url_for(app_path: string): string {
    const host =
      this._options.address === undefined || this._options.address === "" || this._options.address === "0.0.0.0" ? "localhost" : this._options.address
    const path = app_path === "/" ? "/" : app_path
    return `${this.ssl ? "https" : "http"}://${host}:${this.port}${this.core.prefix}${path}`
  }

  /** Opens an app in the browser (`BOKEH_BROWSER`, else the OS default), as `bokeh serve --show`. */
  show(app_path: string): void {
    const url = this.url_for(app_path)
    const browser = this._options.settings?.browser ?? undefined
    Promise.resolve(get_browser_controller(browser).open(url, { new: "tab" })).catch((error: unknown) =>
      log.warning(`could not open a browser for ${url}: ${(error as Error).message}`),
    )
  }

  private _closed: Promise<void> | null = null

  /**
   * Stops accepting connections on the listener `start()` opened (existing ones go on); resolves when
   * they have all ended. `stop()` does this first.
   */
  stop_listening(): Promise<void> | null {
    if (!this._owns_http || this._http === null) return null
    const http = this._http
    this._closed ??= new Promise<void>((resolve) => http.close(() => resolve()))
    return this._closed
  }

  /** Closes websockets, discards sessions, runs unload hooks, and closes the listener if `start()` opened it. */
  override async stop(): Promise<void> {
    this._stop_stats_logging?.()
    this._stop_stats_logging = null
    // Stop accepting first, so clients that reconnect as their websockets close below find another
    // listener (the next --dev worker) rather than this one.
    const http = this._owns_http ? this._http : null
    const closed = this.stop_listening()
    await this._core?.stop()
    this._adapter?.close()
    if (http !== null) {
      // Requests under way finish (a --dev reload must not reset them); idle keep-alive connections go now.
      http.closeIdleConnections()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, REQUESTS_GRACE_MS)))])
      clearTimeout(timer)
      http.closeAllConnections()
      await closed
    }
    this._http = null
    this._closed = null
    this._core = null
    this._adapter = null
  }

  /**
   * Graceful shutdown: refuses new sessions (readiness false), flushes pending patches, writes
   * sessions to the session store, closes websockets with 1001 so clients reconnect elsewhere, then
   * stops. Bounded by `timeout_milliseconds` (`drain_timeout_milliseconds`, 20 s by default);
   * resolves true if the drain finished in time.
   */
  async drain(timeout_milliseconds = this._options.drain_timeout_milliseconds ?? DEFAULTS.drain_timeout_milliseconds): Promise<boolean> {
    const finished = this._core !== null ? await drain(this._core, timeout_milliseconds) : true
    await this.stop()
    return finished
  }

  /** `await using server = …` stops it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }
}
