/**
 * URL-safe base64 without padding (RFC 4648 §5), the dialect of session ids and tokens.
 * Bokeh's `bytes` reps use standard padded base64 instead; that lives with the serializer.
 */

import { TokenError, preview } from "../core/errors.ts"

// Node's own decoder silently skips characters outside the alphabet; tokens come from the
// network, so anything that is not url-safe base64 (with optional padding) is refused up front.
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/

/** Encodes bytes (or a string, as UTF-8) as base64url with the `=` padding stripped. */
export function b64url_encode(data: Uint8Array | string): string {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return buf.toString("base64url")
}

/**
 * Decodes base64url text, padded or not, into a fresh `Uint8Array` (never a view into
 * Node's shared buffer pool). Throws `TokenError` BK_ERR_BAD_TOKEN if it is not base64url.
 */
export function b64url_decode(text: string): Uint8Array {
  const body = text.replace(/=+$/, "")
  // Padding is optional and, as in Python's decoder after it re-pads, need not be complete.
  if (!B64URL.test(text) || body.length % 4 === 1) throw new TokenError("BK_ERR_BAD_TOKEN", `not valid base64url: ${preview(text, 40)}`)
  const decoded = Buffer.from(body, "base64url")
  const out = new Uint8Array(decoded.byteLength)
  out.set(decoded)
  return out
}
