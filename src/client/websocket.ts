/**
 * Opening the client's WebSocket the way Python's client does (docs/protocol.md §1.5, §9): subprotocols
 * `["bokeh", token]`, no permessage-deflate, a per-fragment size limit, and Nagle's algorithm off
 * (with it on, the fragments of one message trickle out ~40 ms apart).
 */

import WebSocket from "ws"

import type { Fragment } from "../protocol/message.ts"

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
export function open_websocket(options: OpenOptions): WebSocket {
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
export function write_fragments(socket: WebSocket, fragments: readonly Fragment[]): void {
  for (const fragment of fragments) socket.send(fragment, { binary: typeof fragment !== "string" })
}
