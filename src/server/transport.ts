/**
 * The transport-neutral websocket seen by the server core. The node adapter implements it with
 * `ws`; another runtime (or a test) can implement it with anything that sends frames in order.
 */

export interface WebSocketTransport {
  /** Sends one frame: strings as text frames, bytes as binary frames. */
  send(fragment: string | Uint8Array): void
  /** Closes with a code and a reason (at most 123 bytes of UTF-8), or with an empty close frame for `null`. */
  close(code: number | null, reason: string): void
  /** Drops the connection without a close frame (the peer sees 1006), as Tornado's abort. */
  abort(): void
  /** Sends a ping control frame. */
  ping(data: string): void
  /**
   * Bytes given to `send` and not yet handed to the operating system (a websocket's
   * `bufferedAmount`). Without it the server cannot see a slow peer, so it never holds back.
   */
  buffered_amount?(): number
  /** Registers `listener` for each time those bytes have all been written out (the socket's 'drain'). */
  on_drain?(listener: () => void): void
  /** Stops reading frames from the peer, so it meets TCP backpressure; `resume` reads again. */
  pause?(): void
  resume?(): void
}

/** Close codes the server uses beyond docs/protocol.md §4.4. */
export const ServerCloseCodes = {
  /** The server is shutting down. */
  GOING_AWAY: 1001,
  /**
   * The peer fell too far behind: its outgoing bytes stayed over the budget longer than allowed, or
   * what it missed could not be folded. BokehJS reconnects and pulls the whole document again.
   */
  TOO_FAR_BEHIND: 1013,
  /** The peer did not answer a keep-alive ping before the next one was due. */
  KEEP_ALIVE_TIMEOUT: 4000,
} as const

/** A close reason cut to the 123 bytes a close frame can carry. */
export function close_reason(text: string): string {
  const bytes = Buffer.from(text, "utf8")
  if (bytes.length <= 123) return text
  let cut = bytes.subarray(0, 120).toString("utf8")
  // Drop a trailing replacement character left by cutting inside a multi-byte character.
  if (cut.endsWith("\uFFFD")) cut = cut.slice(0, -1)
  return `${cut}...`
}
