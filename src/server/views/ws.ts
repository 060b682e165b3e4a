/**
 * `<app>/ws` (Python's `WSHandler`): whether an upgrade may proceed (path → drain → origin → auth, all
 * before any handshake), and binding an upgraded websocket to its session (subprotocol and token
 * checks, ACK). It also keeps the set of open connections.
 */
import { create_message } from "../../protocol/message.ts"
import { log } from "../../util/logging.ts"
import { repr } from "../../util/repr.ts"
import type { HTTPRequest } from "../../util/request.ts"
import { check_token_signature, get_session_id, get_token_payload } from "../../util/token.ts"
import { ServerConnection } from "../connection.ts"
import type { ApplicationContext } from "../contexts.ts"
import { text, type HTTPResponse } from "../http.ts"
import { BoundedInbox } from "../inbox.ts"
import { check_allowlist, origin_host } from "../origin.ts"
import { ServerCloseCodes, type WebSocketTransport } from "../transport.ts"
import { DRAINING, DRAINING_REASON, type ViewContext } from "./context.ts"

/** What the adapter does with a websocket once upgraded: feed frames in, report the close. */
export interface WebSocketHandle {
  receive(fragment: string | Uint8Array): void
  /** The peer answered a keep-alive ping. */
  pong(): void
  closed(code: number, reason: string): void
}

/** The decision on an upgrade request, before any handshake. */
export type UpgradeDecision = { readonly accept: true; readonly app: ApplicationContext } | { readonly accept: false; readonly response: HTTPResponse }

/** Tornado's `@authenticated` for websockets: null to proceed, else the refusal. */
export interface UpgradeAuth {
  readonly enabled: boolean
  check(request: HTTPRequest, redirect: boolean): Promise<HTTPResponse | null>
}

/** The subprotocol to select for `Sec-WebSocket-Protocol: bokeh, <token>` (none unless exactly two entries). */
export function select_subprotocol(protocols: readonly string[]): string | false {
  return protocols.length === 2 ? protocols[0]! : false
}

export class WebSocketView {
  /** Most frames ever queued on a websocket whose session did not exist yet (a statistic). */
  peak_pre_session_frames = 0
  readonly connections = new Set<ServerConnection>()
  private _closed_waiters: Array<() => void> = []

  constructor(private readonly _context: ViewContext) {}

  /**
   * Decides an upgrade to `app`'s `/ws` (null: no app's websocket is at that path, 404): drain (503),
   * origin (403), then authentication (a failing auth hook answers 500).
   */
  async upgrade(request: HTTPRequest, app: ApplicationContext | null, auth: UpgradeAuth): Promise<UpgradeDecision> {
    const decision = this.check(request, app)
    if (!decision.accept || !auth.enabled) return decision
    try {
      const denied = await auth.check(request, false)
      return denied === null ? decision : { accept: false, response: denied }
    } catch (error) {
      log.error(`error in the auth provider's get_user for ${request.uri}`, error)
      return { accept: false, response: { status: 500, headers: {}, body: "500: Internal Server Error" } }
    }
  }

  /** The synchronous part of `upgrade`: path, drain and origin, without authentication. */
  check(request: HTTPRequest, app: ApplicationContext | null): UpgradeDecision {
    if (app === null) return { accept: false, response: text(404, "404: Not Found") }
    // Every websocket is about to be closed so that its client reconnects elsewhere: refuse before the handshake.
    if (this._context.draining) return { accept: false, response: DRAINING }
    const origin = request.headers["Origin"]
    if (origin === undefined) return { accept: true, app }
    const host = origin_host(origin)
    const allowed = this._context.websocket_origins
    if (host !== null && check_allowlist(host, allowed)) return { accept: true, app }
    log.error(
      `Refusing websocket connection from Origin '${origin}'; use --allow-websocket-origin=${host ?? origin} or set BOKEH_ALLOW_WS_ORIGIN=${host ?? origin} to permit this; currently we allow origins ${JSON.stringify(allowed)}`,
    )
    return { accept: false, response: text(403, "Cross origin websockets not allowed") }
  }

  /** Resolves once no websocket is bound to a session any more. */
  connections_closed(): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve()
    return new Promise((resolve) => this._closed_waiters.push(resolve))
  }

  /**
   * Binds an upgraded websocket to its session. `protocols` is the offered subprotocol list and
   * `selected` what the handshake selected. Checks the token (refusing as Python does: see
   * `refuse` below), creates the session if needed, then sends ACK.
   */
  open(app: ApplicationContext, request: HTTPRequest, protocols: readonly string[], selected: string | false, transport: WebSocketTransport): WebSocketHandle {
    const context = this._context
    log.info("WebSocket connection opened")
    // Frames sent before the session exists wait here, as boundedly as on a connection (a message is at least 3 frames).
    const queued = new BoundedInbox<string | Uint8Array>(
      3 * Math.max(1, context.connection_limits.max_queued_messages),
      () => transport.pause?.(),
      () => transport.resume?.(),
    )
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
          this.connections.delete(connection)
          connection._detach()
          if (this.connections.size === 0) for (const w of this._closed_waiters.splice(0)) w()
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
    if (!check_token_signature(token, context.signing)) {
      refuse(`Token for session ${repr(session_id)} had invalid signature`, "abort")
      return handle
    }
    void session_for_websocket(app, session_id, request, token).then(
      (session) => {
        if (closed) return
        if (session.destroyed) {
          transport.close(ServerCloseCodes.GOING_AWAY, "session was discarded")
          return
        }
        if (context.draining) {
          transport.close(ServerCloseCodes.GOING_AWAY, DRAINING_REASON)
          return
        }
        connection = new ServerConnection(session, transport, context.connection_limits, context.metrics)
        this.connections.add(connection)
        context.metrics.connection_opened()
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
}

/**
 * The session a websocket binds to. With a session store, a local copy nobody is connected to that
 * another process has written since (the browser moved there, then came back) is stale: it is
 * discarded and the session resumes from the store.
 */
async function session_for_websocket(app: ApplicationContext, id: string, request: HTTPRequest, token: string) {
  const local = app.get_session(id)
  if (local !== undefined && local.connection_count === 0 && app.persistence !== null && (await app.persistence.owned_elsewhere(id))) {
    log.info(`Session ${repr(id)} was written by another process since this one held it: resuming it from the session store`)
    await app.discard_session(local)
  }
  return await app.create_session_if_needed(id, request, token)
}
