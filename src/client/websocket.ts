/**
 * Opening the client's WebSocket the way Python's client does (docs/protocol.md §1.5, §9): subprotocols
 * `["bokeh", token]`, no permessage-deflate, a per-fragment size limit, and Nagle's algorithm off
 * (with it on, the fragments of one message trickle out ~40 ms apart).
 */

import WebSocket from "ws"

import type { Fragment } from "../protocol/message.ts"

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
