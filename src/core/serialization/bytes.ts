/** Inline bytes: standard base64, gzip-wrapped for BokehJS 3.10 (which gunzips every inline payload). */
import { gunzipSync, gzipSync } from "node:zlib"
import { SerializationError } from "../errors.ts"

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

export function bytes_to_base64(bytes: Uint8Array, gzip: boolean): string {
  const data = gzip ? gzipSync(bytes, { level: 6 }) : bytes
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64")
}

/** Decodes inline base64; gunzips when the payload starts with the gzip magic (1f 8b). */
export function base64_to_bytes(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new SerializationError("BK_ERR_BAD_BASE64", `inline bytes are not valid standard base64 (length ${text.length})`)
  }
  const raw = Buffer.from(text, "base64")
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return aligned_copy(gunzipSync(raw))
    } catch (e) {
      throw new SerializationError("BK_ERR_BAD_GZIP", `inline bytes start like gzip but do not inflate: ${(e as Error).message}`)
    }
  }
  return aligned_copy(raw)
}

/** Copies bytes into a fresh, 8-byte aligned ArrayBuffer so any typed array view can be built on it. */
export function aligned_copy(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(bytes.byteLength))
  out.set(bytes)
  return out
}
