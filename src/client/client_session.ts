/**
 * `ClientSession` (Python's `bokeh.client.session.ClientSession`): a Document kept in sync with one
 * server session, both ways, while the connection is open. The entry points that make one,
 * `pull_session` and `push_session`, are in session.ts.
 */

import { BokehError, ClientError, UsageError } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import { Document } from "../document/document.ts"
import { DocumentPatchedEvent, SessionCallbackAdded, SessionCallbackRemoved } from "../document/events.ts"
import type { DocumentChangedEvent } from "../document/events.ts"
import type { SessionCallback } from "../document/callbacks.ts"
import type { Message } from "../protocol/message.ts"
import { generate_jwt_token, generate_session_id } from "../util/token.ts"
import type { BrowserController, BrowserTarget } from "./browser.ts"
import { ClientConnection } from "./connection.ts"
import type { ClientConnectionOwner, ServerInfo } from "./connection.ts"
import { SessionListeners, type SessionErrorListener } from "./session_listeners.ts"
import { show_session } from "./show.ts"
import { ErrorReason } from "./states.ts"
import type { ConnectionState } from "./states.ts"
import { default_server_websocket_url } from "./util.ts"
import type { SocketOpener } from "./websocket.ts"

export type { SessionErrorListener } from "./session_listeners.ts"

export interface ClientSessionOptions {
  /** The session to attach to; a new random id (signed per the environment) when omitted. */
  readonly session_id?: string | null
  /** The app's WebSocket URL (default `ws://localhost:5006/ws`). */
  readonly websocket_url?: string
  /**
   * Request arguments for the app (`session_context.request.arguments`, as `{k: [bytes]}`). They only
   * take effect when this connection creates the session.
   */
  readonly arguments?: Readonly<Record<string, string>> | null
  /** Largest message fragment accepted from the server (20 MiB by default). */
  readonly max_message_size?: number
  /** bokeh-ts extension: extra upgrade-request headers (`Origin`, `Cookie`, `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>
  /** bokeh-ts extension: opens the socket instead of `ws` (e.g. `connect_in_process`, for tests without TCP). */
  readonly open_socket?: SocketOpener
}

/**
 * A connection to one server session whose Document is kept in sync with this one's: server
 * PATCH-DOCs apply here, and local changes go to the server (changes made in the same tick as one
 * PATCH-DOC). Call `pull()` or `push()` first; `document` is null until then. Close it when done,
 * for example with `await using`.
 */
export class ClientSession implements ClientConnectionOwner, AsyncDisposable {
  private readonly _id: string
  private readonly _connection: ClientConnection
  private _document: Document | null = null
  private readonly _callbacks = new Set<SessionCallback>()
  private readonly _listeners = new SessionListeners()
  private readonly _on_document_change = (event: DocumentChangedEvent): void => this._document_changed(event)

  constructor(options: ClientSessionOptions = {}) {
    this._id = options.session_id ?? generate_session_id()
    this._connection = new ClientConnection(this, {
      websocket_url: options.websocket_url ?? default_server_websocket_url(),
      arguments: options.arguments ?? null,
      max_message_size: options.max_message_size,
      headers: options.headers,
      open_socket: options.open_socket,
    })
    this._connection._on_patch_error = (error) => this._listeners.report(error, this._id)
  }

  // ---------------------------------------------------------------------------------------------
  // properties

  /** Whether the session is connected (socket open, ACK received). */
  get connected(): boolean {
    return this._connection.connected
  }

  get state(): ConnectionState {
    return this._connection.state
  }

  get error_reason(): ErrorReason | null {
    return this._connection.error_reason
  }

  get error_code(): number | null {
    return this._connection.error_code
  }

  get error_detail(): string {
    return this._connection.error_detail
  }

  /** The coded error that ended the connection, if any. */
  get error(): BokehError | null {
    return this._connection.error
  }

  /** The WebSocket URL (without query arguments). */
  get url(): string {
    return this._connection.url
  }

  /** The document kept in sync with the server's; null until `pull()` or `push()` succeeds. */
  get document(): Document | null {
    return this._document
  }

  /** The session id. */
  get id(): string {
    return this._id
  }

  /** A fresh token for this session id: 300 s expiry, signed per BOKEH_SECRET_KEY/BOKEH_SIGN_SESSIONS. */
  get token(): string {
    return generate_jwt_token(this._id)
  }

  /** The low-level connection. */
  get connection(): ClientConnection {
    return this._connection
  }

  // ---------------------------------------------------------------------------------------------
  // operations

  /** Connects (see `ClientConnection.connect`); does not throw, see `check_connection_errors()`. */
  connect(): Promise<void> {
    return this._connection.connect()
  }

  /** Closes the connection (code 1000, reason `why`), after sending queued changes. */
  close(why = "closed"): Promise<void> {
    return this._connection.close(why)
  }

  /** `await using session = ...` closes the session at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /**
   * Waits until the server has processed everything sent so far, and every patch it sent before
   * answering has been applied to `document`. Mostly for tests.
   */
  force_roundtrip(): Promise<void> {
    return this._connection.force_roundtrip()
  }

  /** The server's `{version_info: {bokeh, server}}` (cached). */
  request_server_info(): Promise<ServerInfo> {
    return this._connection.request_server_info()
  }

  /**
   * Throws a `ClientError` describing why the session is not connected: BK_ERR_HTTP for HTTP errors
   * (404: check the application path), BK_ERR_CONNECTION_CLOSED when the server closed the socket
   * (an expired or badly signed token does that), BK_ERR_MESSAGE_TOO_BIG, BK_ERR_CONNECTION_FAILED
   * when no server answered, `ProtocolError` when the server does not speak the protocol. Does nothing
   * while connected.
   */
  check_connection_errors(): void {
    if (this.connected) return
    const error = this._connection.error
    if (this.error_reason === ErrorReason.HTTP_ERROR && this.error_code === 404)
      throw new ClientError("BK_ERR_HTTP", `Check your application path! The given path is not valid: ${this.url}`, { cause: error ?? undefined })
    // A protocol violation by the server stays a ProtocolError (BK_ERR_PROTOCOL).
    if (error !== null) throw error
    if (this.state === "DISCONNECTED") throw new ClientError("BK_ERR_NOT_CONNECTED", `the session to ${this.url} was closed`)
    throw new ClientError("BK_ERR_NOT_CONNECTED", `the session to ${this.url} is not connected; call connect(), pull() or push() first`)
  }

  /**
   * Connects and loads the server's document into `document` (a new Document the first time, the same
   * object, overwritten, on later calls). Throws what `check_connection_errors()` throws, or
   * BK_ERR_SERVER_ERROR when the server answers ERROR.
   */
  async pull(): Promise<void> {
    await this.connect()
    this.check_connection_errors()
    await this._connection.pull_doc(this._document ?? new Document())
  }

  /**
   * Connects and replaces the server session's document with `document` (by default the current one,
   * or a new empty Document), which then becomes `this.document`. Pushing a different document than
   * the attached one throws BK_ERR_MISUSE.
   */
  async push(document?: Document | null): Promise<void> {
    let doc: Document
    if (this._document === null) doc = document ?? new Document()
    else if (document == null || document === this._document) doc = this._document
    else throw new UsageError("BK_ERR_MISUSE", "cannot push() a different document from the existing session.document")
    await this.connect()
    this.check_connection_errors()
    await this._connection.push_doc(doc)
  }

  /**
   * Opens a browser on this session (`<server url>?bokeh-session-id=<id>`), first adding `obj` as a
   * root if it isn't one.
   */
  async show(obj?: HasProps | null, browser?: string | null, new_: BrowserTarget = "tab", controller?: BrowserController): Promise<void> {
    const document = this._document
    if (document === null) throw new ClientError("BK_ERR_NO_DOCUMENT", "show() needs a document: pull() or push() first")
    if (obj != null && !document.roots.includes(obj)) document.add_root(obj)
    await show_session({ session: this, browser, new: new_, controller })
  }

  /** Resolves when the connection closes (for scripts that only react to the server). */
  loop_until_closed(): Promise<void> {
    return this._connection.loop_until_closed()
  }

  /**
   * Listens for errors that happen outside any call: the server answering ERROR to a change sent from
   * here, or a server patch that can't be applied. Returns a function that removes the listener.
   * Without listeners such errors are logged with `console.warn`; the session keeps going either way.
   */
  on_error(listener: SessionErrorListener): () => void {
    return this._listeners.on_error(listener)
  }

  /** Calls `listener` after each PATCH-DOC from the server was applied (or failed to). Returns a remover. */
  on_patch(listener: () => void): () => void {
    return this._listeners.on_patch(listener)
  }

  // ---------------------------------------------------------------------------------------------
  // ClientConnectionOwner

  /** @internal */
  _attach_document(document: Document): void {
    if (this._document === document) return
    this._document = document
    document.on_change(this._on_document_change)
    for (const cb of document.session_callbacks) this._start_callback(cb)
  }

  /** @internal */
  async _handle_patch(message: Message<"PATCH-DOC">): Promise<void> {
    const document = this._document
    // Before the first pull completes, the pulled document will already contain the patch's effect.
    if (document === null) return
    try {
      await document.apply_json_patch(message.content, message.buffers, this._connection, { sender_is_only_peer: true })
    } catch (error) {
      const coded =
        error instanceof BokehError
          ? error
          : new ClientError("BK_ERR_SERVER_ERROR", `a patch from the server failed to apply: ${String(error)}`, { cause: error })
      this._listeners.report(coded, this._id)
    }
    this._listeners.patched()
  }

  /** @internal */
  _notify_disconnected(): void {
    this._document?.remove_on_change(this._on_document_change)
    for (const cb of this._callbacks) cb.stop()
    this._callbacks.clear()
    // Wake waiters (e.g. testing's until()) so they can notice the disconnect.
    this._listeners.patched()
  }

  // ---------------------------------------------------------------------------------------------
  // internals

  private _document_changed(event: DocumentChangedEvent): void {
    if (event instanceof SessionCallbackAdded) this._start_callback(event.callback)
    else if (event instanceof SessionCallbackRemoved) this._callbacks.delete(event.callback)
    else if (event instanceof DocumentPatchedEvent) {
      // Changes applied from the server carry the connection as setter: don't echo them.
      if (event.setter === this._connection) return
      this._connection._send_patch_document(event.document, event)
    }
  }

  // Session callbacks of a client document run in this process while connected, as in Python.
  private _start_callback(callback: SessionCallback): void {
    if (!this.connected || this._callbacks.has(callback)) return
    this._callbacks.add(callback)
    callback.start()
  }
}
