/**
 * `BaseServer` (Python's `bokeh.server.server.BaseServer`): a Bokeh server application
 * (`BokehServerCore`, Python's BokehTornado) mounted on an HTTP server, with the session lookups and
 * the lifecycle `Server` builds on. Use it directly to serve a core you configured yourself on an
 * `http.Server` you created (and listen on) yourself:
 *
 * ```ts
 * const core = new BokehTornado({ "/app": new Application(make_doc) }, {}, ["localhost:8080"])
 * const http = createServer().listen(8080)
 * const server = new BaseServer(core, http)
 * await server.start()
 * ```
 */
import type { Server as HTTPServer } from "node:http"
import type { AddressInfo } from "node:net"

import { ConfigError, UsageError } from "../core/errors.ts"
import type { BokehServerCore } from "./core.ts"
import { NodeAdapter } from "./node/adapter.ts"
import type { ServerSession } from "./session.ts"

export class BaseServer {
  protected _core: BokehServerCore | null
  protected _adapter: NodeAdapter | null = null
  protected _http: HTTPServer | null

  constructor(core: BokehServerCore | null = null, http_server: HTTPServer | null = null) {
    this._core = core
    this._http = http_server
    if (core !== null && http_server !== null) {
      this._adapter = new NodeAdapter(core)
      this._adapter.attach(http_server)
    }
  }

  /** The Bokeh server application (Python's `_tornado`). */
  get core(): BokehServerCore {
    if (this._core === null) throw new UsageError("BK_ERR_MISUSE", "the server is not started: call start() or attach() first")
    return this._core
  }

  /** The underlying node:http server. */
  get http_server(): HTTPServer | null {
    return this._http
  }

  /** The TCP port listened on, or 0 when not listening on TCP. */
  get port(): number {
    const address = this._http?.address()
    return address !== null && address !== undefined && typeof address === "object" ? (address as AddressInfo).port : 0
  }

  get prefix(): string {
    return this.core.prefix
  }

  /** Runs `on_server_loaded` hooks and starts the periodic jobs (the HTTP server must be listening). */
  async start(): Promise<void> {
    await this.core.start()
  }

  /** Closes websockets, discards sessions and runs `on_server_unloaded`; the HTTP server is the caller's. */
  async stop(): Promise<void> {
    await this._core?.stop()
    this._adapter?.close()
  }

  /** Stops accepting new connections (Python's `unlisten`); open ones continue. */
  unlisten(): void {
    this._http?.close()
  }

  /** The live sessions of every app, or of one app path. */
  get_sessions(app_path?: string): ServerSession[] {
    const apps = this.core.application_contexts.filter((a) => app_path === undefined || a.url === app_path)
    if (app_path !== undefined && apps.length === 0) throw new UsageError("BK_ERR_MISUSE", `Application ${app_path} does not exist on this server`)
    return apps.flatMap((a) => a.sessions)
  }

  /** One live session of an app. */
  get_session(app_path: string, session_id: string): ServerSession {
    const session = this.get_sessions(app_path).find((s) => s.id === session_id)
    if (session === undefined) throw new UsageError("BK_ERR_MISUSE", `Session ${session_id} does not exist on ${app_path}`)
    return session
  }

  /** Starts, then serves until SIGINT or SIGTERM, then stops (Python's `run_until_shutdown`). */
  async run_until_shutdown(): Promise<void> {
    await this.start()
    await new Promise<void>((resolve) => {
      const done = () => {
        process.off("SIGINT", done)
        process.off("SIGTERM", done)
        resolve()
      }
      process.once("SIGINT", done)
      process.once("SIGTERM", done)
    })
    await this.stop()
  }
}
