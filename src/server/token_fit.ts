/**
 * Whether a page's session token fits in the websocket upgrade that will carry it. BokehJS opens the
 * websocket with the page's query string and the browser sends the page's cookies and most of its
 * headers again, plus `Sec-WebSocket-Protocol: bokeh, <token>` and the handshake headers; if that
 * header block is larger than the server accepts, the upgrade gets 431 and the app never connects.
 * Refusing to mint such a token turns that silent failure into a clear error on the page request.
 */
import { TokenError } from "../core/errors.ts"
import type { HTTPRequest } from "../util/request.ts"

// Upgrade, Connection, Sec-WebSocket-Key/-Version/-Extensions, and room for a longer path and Origin.
const HANDSHAKE_ALLOWANCE = 1024

/** The bytes of the upgrade request carrying `token` for the page `request`, estimated from above. */
export function upgrade_size(token: string, request: HTTPRequest): number {
  let size = `GET ${request.uri}/ws HTTP/1.1\r\n`.length + `Sec-WebSocket-Protocol: bokeh, ${token}\r\n\r\n`.length + HANDSHAKE_ALLOWANCE
  for (const [name, value] of Object.entries(request.headers)) size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4
  return size
}

/** Throws `BK_ERR_TOKEN_TOO_LARGE` if the upgrade carrying `token` would exceed `header_limit` bytes. */
export function check_token_fits(token: string, request: HTTPRequest, header_limit: number): void {
  const size = upgrade_size(token, request)
  if (size <= header_limit) return
  throw new TokenError(
    "BK_ERR_TOKEN_TOO_LARGE",
    `the session token for this page (${token.length} bytes) would make its websocket upgrade about ${size} bytes, over the server's ` +
      `${header_limit}-byte header limit: send fewer or shorter query arguments, headers or cookies, or leave headers and cookies out of ` +
      "the token (no --include-headers/--exclude-headers/--include-cookies/--exclude-cookies)",
  )
}
