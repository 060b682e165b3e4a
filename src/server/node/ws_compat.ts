/**
 * Everything the Node adapter needs from `ws` beyond its public API, in one place. These reach into
 * private fields of `ws` 8.x (`_socket`, `_receiver`), so package.json pins the exact version and
 * test/unit/server/ws_compat.test.ts checks each of them against the installed `ws`.
 */
import { Duplex } from "node:stream"
import type { WebSocket } from "ws"

import { close_reason } from "../transport.ts"

/** The TCP socket under a `ws` WebSocket (the private `_socket`, checked at runtime). */
export function socket_of(ws: WebSocket): Duplex | undefined {
  const socket = (ws as unknown as { _socket?: unknown })._socket
  return socket instanceof Duplex ? socket : undefined
}

/**
 * Calls `listener` when an incoming message exceeds `maxPayload`, before `ws` closes the socket with
 * 1009 and no reason: the listener can close first, with a reason (`ws`'s own close is then a no-op).
 * `ws` reports this only on its private receiver.
 */
export function on_message_too_big(ws: WebSocket, listener: () => void): void {
  const receiver = (ws as unknown as { _receiver?: { prependListener(e: string, f: (err: { code?: string }) => void): void } })._receiver
  receiver?.prependListener("error", (err) => {
    if (err.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") listener()
  })
}

/** Whether `ws.close()` accepts `code` (RFC 6455's sendable codes). */
function sendable(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
}

/**
 * Closes with `code` and `reason`. Bokeh's own codes 10000/10001 are outside the RFC 6455 range and
 * `ws` refuses to send them, so their close frame is written directly on the socket (as Tornado
 * does); the socket is dropped if the peer does not answer within a second.
 */
export function close_websocket(ws: WebSocket, code: number, reason: string): void {
  const text = close_reason(reason)
  if (sendable(code)) {
    ws.close(code, text)
    return
  }
  const socket = socket_of(ws)
  if (socket === undefined || !socket.writable || ws.readyState !== ws.OPEN) {
    ws.terminate()
    return
  }
  const payload = Buffer.concat([Buffer.from([(code >> 8) & 0xff, code & 0xff]), Buffer.from(text, "utf8")])
  // An unmasked final close frame (opcode 8); close_reason keeps the payload at most 125 bytes.
  socket.write(Buffer.concat([Buffer.from([0x88, payload.length]), payload]))
  setTimeout(() => ws.terminate(), 1000).unref()
}

/** `ws`'s permessage-deflate options from the core's compression settings. */
export function deflate_options(
  compression: false | { level: number; mem_level?: number },
): false | { zlibDeflateOptions: { level: number; memLevel?: number } } {
  if (compression === false) return false
  return {
    zlibDeflateOptions: compression.mem_level === undefined ? { level: compression.level } : { level: compression.level, memLevel: compression.mem_level },
  }
}
