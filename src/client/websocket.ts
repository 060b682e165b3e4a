/**
 * Opening the client's WebSocket the way Python's client does (docs/protocol.md §1.5, §9): subprotocols
 * `["bokeh", token]`, no permessage-deflate, a per-fragment size limit, and Nagle's algorithm off
 * (with it on, the fragments of one message trickle out ~40 ms apart).
 */

import WebSocket from "ws"

import { BokehError, ProtocolError } from "../core/errors.ts"
import { message_fragments, type AnyMessage, type Fragment, type Message } from "../protocol/message.ts"
import { Receiver } from "../protocol/receiver.ts"
import * as ending from "./disconnections.ts"

/**
 * The socket as `ClientConnection` uses it: a `ws` WebSocket, or anything with the same events and
 * methods (the server's in-process websocket, src/server/in_process.ts).
 */
export interface ClientSocket {
  readonly readyState: number
  readonly CLOSED: number
  send(data: string | Uint8Array, options: { binary: boolean }): void
  close(code?: number, reason?: string): void
  on(event: "open", listener: () => void): unknown
  on(event: "message", listener: (data: Buffer, is_binary: boolean) => void): unknown
  on(event: "close", listener: (code: number, reason: Buffer) => void): unknown
  on(event: "error", listener: (error: Error & { code?: string }) => void): unknown
  on(
    event: "unexpected-response",
    listener: (request: { destroy(): void }, response: { statusCode?: number; statusMessage?: string; resume(): void }) => void,
  ): unknown
}

/** Opens a client socket (see `open_websocket`); a connection may be given another one. */
export type SocketOpener = (options: OpenOptions) => ClientSocket

export interface OpenOptions {
  /** The full URL, query arguments included. */
  readonly url: string
  readonly token: string
  /** Largest fragment accepted from the server, in bytes. */
  readonly max_message_size: number
  /** Extra upgrade-request headers (for example `Origin` or `Cookie`). */
  readonly headers?: Readonly<Record<string, string>>
}

/** Starts the opening handshake; listen for `open`, `unexpected-response`, `error` and `close`. */
export function open_websocket(options: OpenOptions): ClientSocket {
  const socket = new WebSocket(options.url, ["bokeh", options.token], {
    maxPayload: options.max_message_size,
    perMessageDeflate: false,
    headers: { ...options.headers },
  })
  socket.on("upgrade", (response) => response.socket.setNoDelay(true))
  return socket
}

/**
 * Writes every fragment of one message. `ws` queues sends in call order and nothing else can run
 * between these synchronous calls, so messages never interleave on the socket.
 */
export function write_fragments(socket: ClientSocket, fragments: readonly Fragment[]): void {
  for (const fragment of fragments) socket.send(fragment, { binary: typeof fragment !== "string" })
}

/** What a `ClientSocketWrapper` tells its connection. */
export interface SocketListener {
  /** The opening handshake succeeded. */
  opened(): void
  /** A complete message arrived (in arrival order). */
  received(message: AnyMessage): void
  /** The server's bytes are not the Bokeh protocol. */
  unreadable(error: BokehError): void
  /** The upgrade was refused, the socket failed, or it closed before the handshake finished. */
  failed(how: ending.Ending): void
  /** The server closed the open socket (or answered our close) with this close frame. */
  closed(code: number, reason: string): void
}

/**
 * A client socket read and written a whole message at a time (Python's
 * `WebSocketClientConnectionWrapper`), with each way it can end told apart (disconnections.ts).
 */
export class ClientSocketWrapper {
  private readonly _receiver = new Receiver()
  private _opened = false
  /** Resolves once the socket is closed, or the upgrade was refused. */
  readonly closed: Promise<void>

  /**
   * Opens a socket with `opener` and wraps it; a malformed URL or subprotocol makes no socket at all,
   * and then how that ended is returned instead.
   */
  static open(opener: SocketOpener, options: OpenOptions, url: string, listener: SocketListener): ClientSocketWrapper | ending.Ending {
    let socket: ClientSocket
    try {
      socket = opener(options)
    } catch (cause) {
      return ending.socket_invalid(`can't open a websocket to ${url}: ${(cause as Error).message}`, cause)
    }
    return new ClientSocketWrapper(socket, url, options.max_message_size, listener)
  }

  constructor(
    private readonly _socket: ClientSocket,
    url: string,
    max_message_size: number,
    listener: SocketListener,
  ) {
    let resolve_closed!: () => void
    this.closed = new Promise((resolve) => (resolve_closed = resolve))
    _socket.on("unexpected-response", (request, response) => {
      response.resume()
      listener.failed(ending.http_refusal(url, response.statusCode ?? 0, response.statusMessage ?? ""))
      request.destroy()
      resolve_closed()
    })
    _socket.on("open", () => {
      this._opened = true
      listener.opened()
    })
    _socket.on("message", (data, is_binary) => {
      let message: AnyMessage | null
      try {
        message = this._receiver.consume(is_binary ? data : data.toString("utf8"))
      } catch (error) {
        const e = error as Error
        listener.unreadable(e instanceof BokehError ? e : new ProtocolError("BK_ERR_PROTOCOL", e.message, { cause: e }))
        return
      }
      if (message !== null) listener.received(message)
    })
    _socket.on("error", (error) => {
      if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") listener.failed(ending.message_too_big(url, max_message_size))
      else if (!this._opened)
        listener.failed(ending.socket_invalid(`can't connect to ${url}: ${error.message} (to start the server, try the 'bokeh serve' command)`, error))
      else listener.failed(ending.socket_failed(url, error))
    })
    _socket.on("close", (code, reason) => {
      resolve_closed()
      if (this._opened) listener.closed(code, reason.toString("utf8"))
      else listener.failed(ending.socket_invalid(`can't connect to ${url}`))
    })
  }

  /** Writes every fragment of `message` (see `write_fragments`). */
  send(message: Message): void {
    write_fragments(this._socket, message_fragments(message))
  }

  /** Starts the closing handshake (unless the socket is closed already). */
  close(code: number, reason: string): void {
    if (this._socket.readyState !== this._socket.CLOSED) this._socket.close(code, reason)
  }
}
