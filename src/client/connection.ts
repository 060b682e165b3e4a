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
import { create_message } from "../protocol/message.ts"
import type { AnyMessage, Message } from "../protocol/message.ts"
import type { ContentOf, JSONObject } from "../protocol/msgtypes.ts"
import { format_url_query_arguments } from "../util/url.ts"
import * as ending from "./disconnections.ts"
import { check_reply, PendingRequests } from "./requests.ts"
import { ConnectionStates, type ConnectionState, type ErrorReason } from "./states.ts"
import { DEFAULT_MAX_MESSAGE_SIZE, type ClientConnectionOptions, type ClientConnectionOwner, type ServerInfo } from "./connection_options.ts"
import { PatchOutbox } from "./patch_outbox.ts"
import { ClientSocketWrapper, open_websocket, type SocketOpener } from "./websocket.ts"

export { DEFAULT_MAX_MESSAGE_SIZE, type ClientConnectionOptions, type ClientConnectionOwner, type ServerInfo } from "./connection_options.ts"

export class ClientConnection {
  private readonly _session: ClientConnectionOwner
  private readonly _url: string
  private readonly _arguments: Readonly<Record<string, string>> | null
  private readonly _max_message_size: number
  private readonly _headers: Readonly<Record<string, string>>
  private readonly _open_socket: SocketOpener
  private _socket: ClientSocketWrapper | null = null
  private readonly _states = new ConnectionStates()
  private _error: BokehError | null = null
  private _close_code: number | null = null
  private _close_reason = ""
  private _server_info: ServerInfo | null = null
  private readonly _requests = new PendingRequests()
  /** PUSH-DOCs in flight: patches arriving meanwhile are the server echoing the push. */
  private _pushing = 0
  /** @internal where ERROR replies to our PATCH-DOCs are reported (set by the session). */
  _on_patch_error: ((error: ClientError) => void) | null = null
  /** Incoming messages are handled one after the other, in arrival order. */
  private _inbox: Promise<void> = Promise.resolve()
  private readonly _outbox = new PatchOutbox(() => this._flush_patches())

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
    return this._states.state === "CONNECTED_AFTER_ACK"
  }

  get state(): ConnectionState {
    return this._states.state
  }

  /** Why the connection ended, or null while it is not `DISCONNECTED`. */
  get error_reason(): ErrorReason | null {
    return this._states.disconnection?.reason ?? null
  }

  /** HTTP status (HTTP_ERROR), 1009 (oversized message) or null once disconnected; 0 before. */
  get error_code(): number | null {
    return this._states.disconnection === null ? 0 : this._states.disconnection.code
  }

  /** A description of why the connection ended; "" while not disconnected. */
  get error_detail(): string {
    return this._states.disconnection?.detail ?? ""
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
    if (this.state === "NOT_YET_CONNECTED") this._open()
    await this._states.until(() => this.state === "CONNECTED_AFTER_ACK" || this.state === "DISCONNECTED")
  }

  /**
   * Closes the socket with code 1000 and `why` as the reason, after sending any changes still
   * queued. Requests still waiting for replies fail with BK_ERR_CONNECTION_CLOSED. Resolves when the
   * socket is closed.
   */
  async close(why = "closed"): Promise<void> {
    if (this.state === "DISCONNECTED") return this._socket?.closed
    this._flush_patches()
    const socket = this._socket
    this._disconnect(ending.closed_by_client(why))
    socket?.close(1000, why)
    await socket?.closed
  }

  /** Resolves when the connection is `DISCONNECTED`; marks a never-connected connection disconnected. */
  async loop_until_closed(): Promise<void> {
    if (this.state === "NOT_YET_CONNECTED") {
      this._disconnect(ending.closed_by_client(null))
      return
    }
    await this._states.until(() => this.state === "DISCONNECTED")
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
    check_reply(reply, "PULL-DOC-REPLY", "Failed to pull document")
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
    return check_reply(reply, "OK", "Failed to push document") as Message<"OK">
  }

  /**
   * Sends a message now, after any queued document changes. Dropped (not thrown) when not connected,
   * as in Python: a change made while disconnected has nowhere to go.
   */
  send_message(message: Message): void {
    if (!this.connected || this._socket === null) return
    this._flush_patches()
    this._socket.send(message)
  }

  /**
   * @internal Queues a local document change for the server. Changes queued in the same tick go out
   * together as one PATCH-DOC; any request sent meanwhile flushes them first, so ordering holds.
   */
  _send_patch_document(document: Document, event: DocumentPatchedEvent): void {
    if (this.connected) this._outbox.add(document, event)
  }

  // ---------------------------------------------------------------------------------------------
  // internals

  private _flush_patches(): void {
    const outbox = this._outbox.take()
    if (outbox === null || outbox.events.length === 0 || !this.connected || this._socket === null) return
    const { content, buffers } = create_json_patch(outbox.document, outbox.events, "buffers")
    // The server answers OK or ERROR; nobody waits for it, but ERROR is reported (see _dispatch).
    const message = create_message("PATCH-DOC", content, { buffers })
    this._requests.patch_sent(message.header.msgid)
    this._socket.send(message)
  }

  private async _request_server_info(): Promise<ServerInfo> {
    const reply = await this._request(create_message("SERVER-INFO-REQ", {}))
    return (check_reply(reply, "SERVER-INFO-REPLY", "Failed to get server info") as Message<"SERVER-INFO-REPLY">).content
  }

  private _request(message: Message, on_reply?: (reply: AnyMessage) => void): Promise<AnyMessage> {
    if (!this.connected || this._socket === null) {
      const detail = this.state === "DISCONNECTED" ? `the connection is closed${this.error_detail ? `: ${this.error_detail}` : ""}` : "connect() first"
      return Promise.reject(new ClientError("BK_ERR_NOT_CONNECTED", `can't send ${message.header.msgtype}: ${detail}`))
    }
    const reply = this._requests.expect(message.header.msgid, on_reply)
    this.send_message(message)
    return reply
  }

  private _open(): void {
    this._states.set("CONNECTING")
    const url = format_url_query_arguments(this._url, this._arguments)
    const options = { url, token: this._session.token, max_message_size: this._max_message_size, headers: this._headers }
    const opened = ClientSocketWrapper.open(this._open_socket, options, this._url, {
      opened: () => {
        if (this.state === "CONNECTING") this._states.set("CONNECTED_BEFORE_ACK")
      },
      received: (message) => {
        if (this.state !== "DISCONNECTED") this._inbox = this._inbox.then(() => this._dispatch(message))
      },
      unreadable: (error) => this._protocol_failure(error),
      failed: (how) => this._disconnect(how),
      closed: (code, reason) => {
        if (this.state === "DISCONNECTED") return
        this._close_code = code
        this._close_reason = reason
        this._disconnect(ending.closed_by_server(code, reason, this.state === "CONNECTED_BEFORE_ACK"))
      },
    })
    if (opened instanceof ClientSocketWrapper) this._socket = opened
    else this._disconnect(opened)
  }

  private _protocol_failure(error: BokehError): void {
    if (this.state === "DISCONNECTED") return
    this._disconnect(ending.protocol_violation(error))
    this._socket?.close(1000, "error parsing message from server")
  }

  private async _dispatch(message: AnyMessage): Promise<void> {
    if (this.state === "DISCONNECTED") return
    if (this.state === "CONNECTED_BEFORE_ACK") {
      if (message.header.msgtype === "ACK") this._states.set("CONNECTED_AFTER_ACK")
      else this._protocol_failure(new ProtocolError("BK_ERR_PROTOCOL", `received ${message.header.msgtype} instead of ACK`))
      return
    }
    if (this._requests.settle(message, (error) => this._on_patch_error?.(error))) return
    if (message.header.msgtype === "PATCH-DOC" && this._pushing === 0) {
      await this._session._handle_patch(message as Message<"PATCH-DOC">)
    }
    // Anything else (a stray reply, a second ACK) is ignored, as Python's client does.
  }

  private _disconnect({ disconnection, error }: ending.Ending): void {
    if (this.state === "DISCONNECTED") return
    this._error = error
    this._outbox.take()
    this._states.disconnect(disconnection)
    this._requests.fail_all(error ?? new ClientError("BK_ERR_CONNECTION_CLOSED", "Connection to server was lost"))
    this._pushing = 0
    this._session._notify_disconnected()
  }
}
