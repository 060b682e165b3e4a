/**
 * The low-level client connection (Python's `bokeh.client.connection.ClientConnection`): one
 * WebSocket to a Bokeh server, the ACK handshake, requests matched to replies by `msgid`, and
 * incoming PATCH-DOCs handed to the owning session. Most code wants `ClientSession` instead.
 *
 * Unlike Python's client, messages that arrive while a request is in flight are processed, not
 * dropped: every incoming message is handled in arrival order, so when a reply resolves its request,
 * every patch the server sent before it has already been applied.
 */

import { BokehError, ClientError, ProtocolError } from "../core/errors.ts"
import type { Document } from "../document/document.ts"
import type { DocumentPatchedEvent } from "../document/events.ts"
import { create_json_patch } from "../document/patches.ts"
import { create_message, message_fragments } from "../protocol/message.ts"
import type { AnyMessage, Message } from "../protocol/message.ts"
import type { ContentOf, JSONObject, MsgType } from "../protocol/msgtypes.ts"
import { Receiver } from "../protocol/receiver.ts"
import { format_url_query_arguments } from "../util/url.ts"
import { ErrorReason } from "./states.ts"
import type { ConnectionState, Disconnection } from "./states.ts"
import { open_websocket, write_fragments, type ClientSocket, type SocketOpener } from "./websocket.ts"

/** 20 MiB, the default of Python's client and server. */
export const DEFAULT_MAX_MESSAGE_SIZE = 20 * 1024 * 1024

/** What `request_server_info()` returns: the SERVER-INFO-REPLY content. */
export type ServerInfo = ContentOf["SERVER-INFO-REPLY"]

/** What a connection needs from the session that owns it (`ClientSession` implements it). */
export interface ClientConnectionOwner {
  /** A fresh token for the opening handshake. */
  readonly token: string
  /** Applies a PATCH-DOC from the server; called in arrival order, never concurrently. */
  _handle_patch(message: Message<"PATCH-DOC">): Promise<void>
  /** Called once `document` mirrors the server's, before any later message is processed. */
  _attach_document(document: Document): void
  /** Called once, when the connection becomes `DISCONNECTED`. */
  _notify_disconnected(): void
}

export interface ClientConnectionOptions {
  /** The WebSocket URL, for example `ws://localhost:5006/myapp/ws`. */
  readonly websocket_url: string
  /**
   * Appended to the URL as `?k=v&...` (`quote_plus`-encoded). The server shows them to the app as
   * `session_context.request.arguments` when this connection creates the session.
   */
  readonly arguments?: Readonly<Record<string, string>> | null
  /** Largest fragment accepted from the server, in bytes (20 MiB by default). */
  readonly max_message_size?: number
  /** bokeh-ts extension: extra headers for the upgrade request (`Origin`, `Cookie`, `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>
  /** bokeh-ts extension: opens the socket instead of `ws` (e.g. `connect_in_process`, for tests without TCP). */
  readonly open_socket?: SocketOpener
}

interface Pending {
  resolve(reply: AnyMessage): void
  reject(error: Error): void
  /** Runs inside message processing, before any later message is handled. */
  on_reply?: ((reply: AnyMessage) => void) | undefined
}

export class ClientConnection {
  private readonly _session: ClientConnectionOwner
  private readonly _url: string
  private readonly _arguments: Readonly<Record<string, string>> | null
  private readonly _max_message_size: number
  private readonly _headers: Readonly<Record<string, string>>
  private readonly _receiver = new Receiver()
  private readonly _open_socket: SocketOpener
  private _socket: ClientSocket | null = null
  private _state: ConnectionState = "NOT_YET_CONNECTED"
  private _disconnection: Disconnection | null = null
  private _error: BokehError | null = null
  private _close_code: number | null = null
  private _close_reason = ""
  private _server_info: ServerInfo | null = null
  private readonly _pending = new Map<string, Pending>()
  /** PUSH-DOCs in flight: patches arriving meanwhile are the server echoing the push. */
  private _pushing = 0
  /** msgids of our PATCH-DOCs whose OK/ERROR has not arrived yet. */
  private readonly _patch_requests = new Set<string>()
  /** @internal where ERROR replies to our PATCH-DOCs are reported (set by the session). */
  _on_patch_error: ((error: ClientError) => void) | null = null
  /** Incoming messages are handled one after the other, in arrival order. */
  private _inbox: Promise<void> = Promise.resolve()
  private _outbox: { document: Document; events: DocumentPatchedEvent[] } | null = null
  private readonly _state_waiters = new Set<() => void>()
  private _socket_closed: Promise<void> = Promise.resolve()

  constructor(session: ClientConnectionOwner, options: ClientConnectionOptions) {
    this._session = session
    this._url = options.websocket_url
    this._arguments = options.arguments ?? null
    this._max_message_size = options.max_message_size ?? DEFAULT_MAX_MESSAGE_SIZE
    this._headers = options.headers ?? {}
    this._open_socket = options.open_socket ?? open_websocket
  }

  // ---------------------------------------------------------------------------------------------
  // properties

  /** The WebSocket URL this connection is to (without the query arguments). */
  get url(): string {
    return this._url
  }

  /** Whether the socket is open and the server's ACK has arrived. */
  get connected(): boolean {
    return this._state === "CONNECTED_AFTER_ACK"
  }

  get state(): ConnectionState {
    return this._state
  }

  /** Why the connection ended, or null while it is not `DISCONNECTED`. */
  get error_reason(): ErrorReason | null {
    return this._disconnection?.reason ?? null
  }

  /** HTTP status (HTTP_ERROR), 1009 (oversized message) or null once disconnected; 0 before. */
  get error_code(): number | null {
    return this._disconnection === null ? 0 : this._disconnection.code
  }

  /** A description of why the connection ended; "" while not disconnected. */
  get error_detail(): string {
    return this._disconnection?.detail ?? ""
  }

  /** The coded error that ended the connection, if it ended by an error. */
  get error(): BokehError | null {
    return this._error
  }

  /** The close frame's code when the server closed the socket, else null. */
  get close_code(): number | null {
    return this._close_code
  }

  /** The close frame's reason when the server closed the socket, else "". */
  get close_reason(): string {
    return this._close_reason
  }

  // ---------------------------------------------------------------------------------------------
  // lifecycle

  /**
   * Opens the socket and waits for the server's ACK. Resolves once connected or disconnected; it
   * does not throw on failure (check `connected`, or call `ClientSession.check_connection_errors()`).
   */
  async connect(): Promise<void> {
    if (this._state === "NOT_YET_CONNECTED") this._open()
    await this._until(() => this._state === "CONNECTED_AFTER_ACK" || this._state === "DISCONNECTED")
  }

  /**
   * Closes the socket with code 1000 and `why` as the reason, after sending any changes still
   * queued. Requests still waiting for replies fail with BK_ERR_CONNECTION_CLOSED. Resolves when the
   * socket is closed.
   */
  async close(why = "closed"): Promise<void> {
    if (this._state === "DISCONNECTED") return this._socket_closed
    this._flush_patches()
    const socket = this._socket
    this._disconnect(
      { reason: ErrorReason.NO_ERROR, code: null, detail: "" },
      new ClientError("BK_ERR_CONNECTION_CLOSED", `the connection was closed by the client (${why})`),
    )
    if (socket !== null && socket.readyState !== socket.CLOSED) socket.close(1000, why)
    await this._socket_closed
  }

  /** Resolves when the connection is `DISCONNECTED`; marks a never-connected connection disconnected. */
  async loop_until_closed(): Promise<void> {
    if (this._state === "NOT_YET_CONNECTED") {
      this._disconnect({ reason: ErrorReason.NO_ERROR, code: null, detail: "" }, null)
      return
    }
    await this._until(() => this._state === "DISCONNECTED")
  }

  // ---------------------------------------------------------------------------------------------
  // requests

  /**
   * Sends SERVER-INFO-REQ and waits for the reply. The server handles a connection's messages in
   * order, so afterwards it has processed everything sent before, and every patch it sent before the
   * reply has been applied here.
   */
  async force_roundtrip(): Promise<void> {
    await this._request_server_info()
  }

  /** The server's `{version_info: {bokeh, server}}`; asked once, then cached. */
  async request_server_info(): Promise<ServerInfo> {
    this._server_info ??= await this._request_server_info()
    return this._server_info
  }

  /**
   * Replaces `document`'s content with the server's (PULL-DOC-REQ → PULL-DOC-REPLY), then attaches it
   * to the session. The loading changes carry this connection as setter, so they are not sent back.
   * Throws `ClientError` BK_ERR_SERVER_ERROR when the server answers ERROR.
   */
  async pull_doc(document: Document): Promise<void> {
    const request = create_message("PULL-DOC-REQ", {})
    const reply = await this._request(request, (reply) => {
      if (reply.header.msgtype !== "PULL-DOC-REPLY") return
      const content = reply.content as ContentOf["PULL-DOC-REPLY"]
      document.replace_with_json(content.doc, reply.buffers, this)
      this._session._attach_document(document)
    })
    this._check_reply(reply, "PULL-DOC-REPLY", "Failed to pull document")
  }

  /**
   * Replaces the server session's document with `document` (PUSH-DOC → OK), then attaches it to the
   * session. Numeric arrays go as binary buffers, as Python's client sends them. Patches
   * that arrive while the push is in flight are the server echoing the replacement, and are dropped.
   * Throws `ClientError` BK_ERR_SERVER_ERROR when the server answers ERROR.
   */
  async push_doc(document: Document): Promise<Message<"OK">> {
    const { doc, buffers } = document.to_json_with_buffers("buffers")
    const request = create_message("PUSH-DOC", { doc: doc as unknown as JSONObject }, { buffers })
    this._pushing += 1
    // A failed request means a disconnect, which resets _pushing.
    const reply = await this._request(request, (reply) => {
      this._pushing -= 1
      if (reply.header.msgtype === "OK") this._session._attach_document(document)
    })
    return this._check_reply(reply, "OK", "Failed to push document") as Message<"OK">
  }

  /**
   * Sends a message now, after any queued document changes. Dropped (not thrown) when not connected,
   * as in Python: a change made while disconnected has nowhere to go.
   */
  send_message(message: Message): void {
    if (!this.connected || this._socket === null) return
    this._flush_patches()
    write_fragments(this._socket, message_fragments(message))
  }

  /**
   * @internal Queues a local document change for the server. Changes queued in the same tick go out
   * together as one PATCH-DOC; any request sent meanwhile flushes them first, so ordering holds.
   */
  _send_patch_document(document: Document, event: DocumentPatchedEvent): void {
    if (!this.connected) return
    if (this._outbox === null) {
      this._outbox = { document, events: [] }
      queueMicrotask(() => this._flush_patches())
    } else if (this._outbox.document !== document) {
      this._flush_patches()
      this._outbox = { document, events: [] }
      queueMicrotask(() => this._flush_patches())
    }
    this._outbox.events.push(event)
  }

  // ---------------------------------------------------------------------------------------------
  // internals

  private _flush_patches(): void {
    const outbox = this._outbox
    this._outbox = null
    if (outbox === null || outbox.events.length === 0 || !this.connected || this._socket === null) return
    const { content, buffers } = create_json_patch(outbox.document, outbox.events, "buffers")
    // The server answers OK or ERROR; nobody waits for it, but ERROR is reported (see _dispatch).
    const message = create_message("PATCH-DOC", content, { buffers })
    this._patch_requests.add(message.header.msgid)
    write_fragments(this._socket, message_fragments(message))
  }

  private async _request_server_info(): Promise<ServerInfo> {
    const reply = await this._request(create_message("SERVER-INFO-REQ", {}))
    return (this._check_reply(reply, "SERVER-INFO-REPLY", "Failed to get server info") as Message<"SERVER-INFO-REPLY">).content
  }

  private _request(message: Message, on_reply?: (reply: AnyMessage) => void): Promise<AnyMessage> {
    if (!this.connected || this._socket === null) {
      const detail = this._state === "DISCONNECTED" ? `the connection is closed${this.error_detail ? `: ${this.error_detail}` : ""}` : "connect() first"
      return Promise.reject(new ClientError("BK_ERR_NOT_CONNECTED", `can't send ${message.header.msgtype}: ${detail}`))
    }
    return new Promise<AnyMessage>((resolve, reject) => {
      this._pending.set(message.header.msgid, { resolve, reject, on_reply })
      this.send_message(message)
    })
  }

  private _check_reply(reply: AnyMessage, expected: MsgType, what: string): AnyMessage {
    if (reply.header.msgtype === "ERROR") {
      const { text } = reply.content as ContentOf["ERROR"]
      throw new ClientError("BK_ERR_SERVER_ERROR", `${what}: ${text}`)
    }
    if (reply.header.msgtype !== expected)
      throw new ProtocolError("BK_ERR_PROTOCOL", `${what}: expected ${expected} but the server replied ${reply.header.msgtype}`)
    return reply
  }

  private _open(): void {
    this._state = "CONNECTING"
    let socket: ClientSocket
    try {
      socket = this._open_socket({
        url: format_url_query_arguments(this._url, this._arguments),
        token: this._session.token,
        max_message_size: this._max_message_size,
        headers: this._headers,
      })
    } catch (cause) {
      // A malformed URL or subprotocol: there is no socket to speak of.
      this._disconnect(
        { reason: ErrorReason.NETWORK_ERROR, code: null, detail: "Socket invalid." },
        failed(`can't open a websocket to ${this._url}: ${(cause as Error).message}`, cause),
      )
      return
    }
    this._socket = socket
    let resolve_closed!: () => void
    this._socket_closed = new Promise((resolve) => (resolve_closed = resolve))

    socket.on("unexpected-response", (request, response) => {
      const status = response.statusCode ?? 0
      const message = response.statusMessage ?? ""
      response.resume()
      const what = status === 404 ? "check the application path" : status === 403 ? "the server refused this origin or token" : "the server refused the upgrade"
      this._disconnect(
        { reason: ErrorReason.HTTP_ERROR, code: status, detail: message },
        new ClientError("BK_ERR_HTTP", `HTTP ${status} ${message} from ${this._url}: ${what}`),
      )
      request.destroy()
      resolve_closed()
    })
    socket.on("open", () => {
      if (this._state === "CONNECTING") this._set_state("CONNECTED_BEFORE_ACK")
    })
    socket.on("message", (data, is_binary) => this._receive(data as Buffer, is_binary))
    socket.on("error", (error: Error & { code?: string }) => {
      if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
        this._disconnect(
          { reason: ErrorReason.NETWORK_ERROR, code: 1009, detail: `a message from the server exceeded max_message_size (${this._max_message_size} bytes)` },
          new ProtocolError(
            "BK_ERR_MESSAGE_TOO_BIG",
            `a message fragment from ${this._url} exceeded max_message_size (${this._max_message_size} bytes); raise max_message_size`,
          ),
        )
      } else if (this._state === "CONNECTING") {
        this._disconnect(
          { reason: ErrorReason.NETWORK_ERROR, code: null, detail: "Socket invalid." },
          failed(`can't connect to ${this._url}: ${error.message} (to start the server, try the 'bokeh serve' command)`, error),
        )
      } else {
        this._disconnect(
          { reason: ErrorReason.NETWORK_ERROR, code: null, detail: error.message },
          new ClientError("BK_ERR_CONNECTION_CLOSED", `the connection to ${this._url} failed: ${error.message}`, { cause: error }),
        )
      }
    })
    socket.on("close", (code, reason) => {
      resolve_closed()
      if (this._state === "DISCONNECTED") return
      if (this._state === "CONNECTING") {
        this._disconnect({ reason: ErrorReason.NETWORK_ERROR, code: null, detail: "Socket invalid." }, failed(`can't connect to ${this._url}`))
        return
      }
      this._close_code = code
      this._close_reason = reason.toString("utf8")
      const before_ack = this._state === "CONNECTED_BEFORE_ACK"
      const said = `close code ${code}${this._close_reason ? `, reason "${this._close_reason}"` : ""}`
      const message = before_ack
        ? `the server closed the connection before ACK (${said}); an expired or badly signed token, or a bad subprotocol, ends this way`
        : `the server closed the connection (${said})`
      // Python reports a socket closed by the server as HTTP_ERROR 500, whatever the close frame said.
      this._disconnect({ reason: ErrorReason.HTTP_ERROR, code: 500, detail: "Internal server error." }, new ClientError("BK_ERR_CONNECTION_CLOSED", message))
    })
  }

  private _receive(data: Buffer, is_binary: boolean): void {
    if (this._state === "DISCONNECTED") return
    let message: AnyMessage | null
    try {
      message = this._receiver.consume(is_binary ? data : data.toString("utf8"))
    } catch (error) {
      this._protocol_failure(error as Error)
      return
    }
    if (message !== null) {
      const m = message
      this._inbox = this._inbox.then(() => this._dispatch(m))
    }
  }

  private _protocol_failure(error: Error): void {
    const socket = this._socket
    const coded = error instanceof BokehError ? error : new ProtocolError("BK_ERR_PROTOCOL", error.message, { cause: error })
    this._disconnect({ reason: ErrorReason.NETWORK_ERROR, code: null, detail: coded.message }, coded)
    socket?.close(1000, "error parsing message from server")
  }

  private async _dispatch(message: AnyMessage): Promise<void> {
    if (this._state === "DISCONNECTED") return
    if (this._state === "CONNECTED_BEFORE_ACK") {
      if (message.header.msgtype === "ACK") this._set_state("CONNECTED_AFTER_ACK")
      else this._protocol_failure(new ProtocolError("BK_ERR_PROTOCOL", `received ${message.header.msgtype} instead of ACK`))
      return
    }
    const reqid = message.header.reqid
    if (reqid !== undefined) {
      const pending = this._pending.get(reqid)
      if (pending !== undefined) {
        this._pending.delete(reqid)
        try {
          pending.on_reply?.(message)
        } catch (error) {
          pending.reject(error as Error)
          return
        }
        pending.resolve(message)
        return
      }
      if (this._patch_requests.delete(reqid)) {
        if (message.header.msgtype === "ERROR") {
          const { text } = message.content as ContentOf["ERROR"]
          this._on_patch_error?.(new ClientError("BK_ERR_SERVER_ERROR", `the server rejected a PATCH-DOC: ${text}`))
        }
        return
      }
    }
    if (message.header.msgtype === "PATCH-DOC" && this._pushing === 0) {
      await this._session._handle_patch(message as Message<"PATCH-DOC">)
    }
    // Anything else (a stray reply, a second ACK) is ignored, as Python's client does.
  }

  private _disconnect(disconnection: Disconnection, error: BokehError | null): void {
    if (this._state === "DISCONNECTED") return
    this._disconnection = disconnection
    this._error = error
    this._outbox = null
    this._patch_requests.clear()
    this._set_state("DISCONNECTED")
    const failure = error ?? new ClientError("BK_ERR_CONNECTION_CLOSED", "Connection to server was lost")
    for (const pending of this._pending.values()) pending.reject(failure)
    this._pending.clear()
    this._pushing = 0
    this._session._notify_disconnected()
  }

  private _set_state(state: ConnectionState): void {
    this._state = state
    for (const wake of [...this._state_waiters]) wake()
  }

  private _until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = (): void => {
        if (!predicate()) return
        this._state_waiters.delete(wake)
        resolve()
      }
      this._state_waiters.add(wake)
    })
  }
}

function failed(message: string, cause?: unknown): ClientError {
  return new ClientError("BK_ERR_CONNECTION_FAILED", message, cause === undefined ? undefined : { cause })
}
