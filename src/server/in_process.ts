/**
 * A websocket to the server core inside the same process, with no TCP and no `ws`: the client end
 * (`InProcessWebSocket`) looks like the `ws` client socket our `ClientConnection` uses, and the server
 * end is a `WebSocketTransport` handed to `BokehServerCore.open_websocket`, exactly as the node adapter
 * does after a real upgrade. So everything behind it (origin check, token check, session creation, the
 * connection's inbox, the protocol handler, the lock, patches) is the production code.
 *
 * What it keeps of a real websocket:
 * - frames arrive in the order they were sent, each direction on its own, never synchronously
 *   inside the `send` that sent them (delivery happens in a microtask, like I/O in a later turn);
 *   bytes are copied, so a sender reusing its buffer cannot change a frame in flight;
 * - the upgrade is refused as the adapter refuses it (404 for a path that is not an app's `/ws`, 403 for
 *   a bad Origin, the auth provider's answer) with an `unexpected-response` event;
 * - close semantics: either side's close frame goes out after the frames sent before it, and both ends
 *   report the code and reason (an empty close frame reads as 1005); `abort`/`terminate` drop what is in
 *   flight and both ends see 1006; nothing is delivered after a close;
 * - pings are answered by the client end, as browsers do;
 * - the server's `pause` holds the client's frames back until `resume` (what TCP backpressure does), and
 *   `buffered_amount` counts bytes sent to the client and not yet delivered;
 * - a frame larger than the core's `websocket_max_message_size` closes the socket with 1009.
 */
import { EventEmitter } from "node:events"

import { CloseCodes } from "../protocol/close_codes.ts"
import { normalize_header_name, parse_cookies, parse_query_arguments, type HTTPRequest } from "../util/request.ts"
import { BokehServerCore, type WebSocketHandle } from "./core.ts"
import type { HTTPResponse } from "./http.ts"
import { close_reason, type WebSocketTransport } from "./transport.ts"
import { frame_size, Lane, type Item } from "./in_process_lane.ts"

export interface InProcessConnectOptions {
  /** The websocket URL (`ws://localhost/sliders/ws?N=10`) or just its path and query (`/sliders/ws?N=10`). */
  readonly url: string
  /** The offered subprotocols; a Bokeh client offers `["bokeh", token]`. */
  readonly protocols: readonly string[]
  /** Upgrade request headers (`Origin`, `Cookie`, `Authorization`, …). */
  readonly headers?: Readonly<Record<string, string>>
  /** The peer address the app sees; 127.0.0.1 by default. */
  readonly remote_ip?: string
}

/** What an end reports for an empty close frame, and for a connection dropped without one (RFC 6455 §7.4.1). */
const NO_STATUS = 1005
const ABNORMAL = 1006

const READY_STATE = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const

/**
 * The client end. Events, with `ws`'s names and arguments: `open`; `message` (data: Buffer, is_binary);
 * `close` (code, reason: Buffer); `unexpected-response` (request, response) when the upgrade is refused;
 * `error` is never emitted (nothing here can fail the way a network does).
 */
export class InProcessWebSocket extends EventEmitter {
  readonly CONNECTING = READY_STATE.CONNECTING
  readonly OPEN = READY_STATE.OPEN
  readonly CLOSING = READY_STATE.CLOSING
  readonly CLOSED = READY_STATE.CLOSED
  readyState: number = READY_STATE.CONNECTING
  /** The subprotocol the server selected ("" for none), once open. */
  protocol = ""
  private _handle: WebSocketHandle | null = null
  /** Frames to the server. */
  private readonly _up: Lane
  /** Frames to this client. */
  private readonly _down: Lane
  private _server_closed = false
  private readonly _drain_listeners: Array<() => void> = []

  constructor(
    private readonly _core: BokehServerCore,
    options: InProcessConnectOptions,
  ) {
    super()
    this._up = new Lane((item) => this._to_server(item))
    this._down = new Lane(
      (item) => this._to_client(item),
      () => {
        for (const l of this._drain_listeners) l()
      },
    )
    queueMicrotask(() => void this._upgrade(options))
  }

  /** Sends one frame: strings as text, bytes as binary (copied). Dropped unless open, as after a close. */
  send(data: string | Uint8Array, _options?: { binary?: boolean }): void {
    if (this.readyState !== READY_STATE.OPEN) return
    this._up.push({ kind: "frame", data: typeof data === "string" ? data : Buffer.from(data) })
  }

  /** Starts the closing handshake; `code` 1000 by default (no code: an empty close frame, read as 1005). */
  close(code?: number, reason = ""): void {
    if (this.readyState === READY_STATE.CLOSING || this.readyState === READY_STATE.CLOSED) return
    if (this.readyState === READY_STATE.CONNECTING) {
      this.terminate()
      return
    }
    this.readyState = READY_STATE.CLOSING
    this._up.push({ kind: "close", code: code ?? NO_STATUS, reason: close_reason(reason) })
  }

  /** Drops the connection without a close frame: both ends see 1006. */
  terminate(): void {
    if (this.readyState === READY_STATE.CLOSED) return
    this._up.clear()
    this._down.clear()
    this._finish(ABNORMAL, "")
  }

  // ---------------------------------------------------------------------------------------------

  private async _upgrade(options: InProcessConnectOptions): Promise<void> {
    const request = upgrade_request(options)
    const decision = await this._core.upgrade(request)
    if (!decision.accept) return this._refuse(decision.response)
    if (this.readyState !== READY_STATE.CONNECTING) return
    const selected = BokehServerCore.select_subprotocol(options.protocols)
    this.protocol = selected === false ? "" : selected
    // Queued first, so the client sees the handshake succeed before anything the server says.
    this._down.push({ kind: "open" })
    this._handle = this._core.open_websocket(decision.app, request, options.protocols, selected, this._transport())
  }

  private _refuse(response: HTTPResponse): void {
    this.readyState = READY_STATE.CLOSED
    const status_text = STATUS_TEXT[response.status] ?? "Error"
    const fake_request = { destroy: () => {} }
    const fake_response = { statusCode: response.status, statusMessage: status_text, headers: response.headers, body: response.body, resume: () => {} }
    this.emit("unexpected-response", fake_request, fake_response)
    this.emit("close", ABNORMAL, Buffer.alloc(0))
  }

  /** The server end, as the core sees it. */
  private _transport(): WebSocketTransport {
    return {
      send: (fragment) => {
        if (this._server_closed) return
        this._down.push({ kind: "frame", data: typeof fragment === "string" ? fragment : Buffer.from(fragment) })
      },
      close: (code, reason) => {
        if (this._server_closed) return
        this._server_closed = true
        this._down.push({ kind: "close", code: code ?? NO_STATUS, reason: close_reason(reason) })
      },
      abort: () => this._abort_from_server(),
      ping: () => this._down.push({ kind: "ping" }),
      buffered_amount: () => this._down.bytes,
      on_drain: (listener) => {
        this._drain_listeners.push(listener)
      },
      pause: () => this._up.pause(),
      resume: () => this._up.resume(),
    }
  }

  /**
   * The server drops the connection (Tornado's abort, e.g. for a token that can't be decoded): nothing in
   * flight arrives, but a handshake that completed still did, so the client sees it open, then 1006.
   */
  private _abort_from_server(): void {
    if (this._server_closed) return
    this._server_closed = true
    this._up.clear()
    const had_open = this._down.clear()
    if (had_open) this._down.push({ kind: "open" })
    this._down.push({ kind: "close", code: ABNORMAL, reason: "" })
  }

  /** Delivers to the server. */
  private _to_server(item: Item): void {
    const handle = this._handle
    if (handle === null || this.readyState === READY_STATE.CLOSED) return
    if (item.kind === "frame") {
      if (this._server_closed) return
      if (frame_size(item.data) > this._core.websocket_max_message_size) {
        this._transport().close(
          CloseCodes.MESSAGE_TOO_BIG,
          `message exceeds the maximum size of ${this._core.websocket_max_message_size} bytes (--websocket-max-message-size)`,
        )
        return
      }
      handle.receive(item.data)
    } else if (item.kind === "close") {
      // The server answers a client's close with the same code; then both ends are closed.
      this._server_closed = true
      this._finish(item.code, item.reason)
    }
  }

  /** Delivers to this client. */
  private _to_client(item: Item): void {
    if (this.readyState === READY_STATE.CLOSED) return
    switch (item.kind) {
      case "open":
        if (this.readyState === READY_STATE.CONNECTING) {
          this.readyState = READY_STATE.OPEN
          this.emit("open")
        }
        return
      case "frame":
        if (this.readyState !== READY_STATE.OPEN) return
        this.emit("message", typeof item.data === "string" ? Buffer.from(item.data) : item.data, typeof item.data !== "string")
        return
      case "ping":
        queueMicrotask(() => {
          if (!this._server_closed) this._handle?.pong()
        })
        return
      case "close":
        this._finish(item.code, item.reason)
        return
    }
  }

  /** Both ends closed with `code`: the server's handle hears it, then the client's listeners. */
  private _finish(code: number, reason: string): void {
    if (this.readyState === READY_STATE.CLOSED) return
    this.readyState = READY_STATE.CLOSED
    this._server_closed = true
    const handle = this._handle
    this._handle = null
    handle?.closed(code, reason)
    this.emit("close", code, Buffer.from(reason, "utf8"))
  }
}

const STATUS_TEXT: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error" }

/** The upgrade request the core sees, built from a URL and headers as the node adapter builds it from node:http. */
function upgrade_request(options: InProcessConnectOptions): HTTPRequest {
  const url = new URL(options.url, "ws://localhost")
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[normalize_header_name(name)] = value
  headers["Host"] ??= url.host
  headers["Upgrade"] = "websocket"
  headers["Connection"] = "Upgrade"
  if (options.protocols.length > 0) headers["Sec-Websocket-Protocol"] = options.protocols.join(", ")
  const query = url.search.startsWith("?") ? url.search.slice(1) : ""
  return {
    method: "GET",
    uri: `${url.pathname}${url.search}`,
    path: url.pathname,
    query,
    headers,
    cookies: parse_cookies(headers["Cookie"]),
    arguments: parse_query_arguments(query),
    remote_ip: options.remote_ip ?? "127.0.0.1",
    protocol: url.protocol === "wss:" || url.protocol === "https:" ? "https" : "http",
    host: headers["Host"],
  }
}

/** Opens an in-process websocket to `core` (see `InProcessWebSocket`). */
export function connect_in_process(core: BokehServerCore, options: InProcessConnectOptions): InProcessWebSocket {
  return new InProcessWebSocket(core, options)
}
