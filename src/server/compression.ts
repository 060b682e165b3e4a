/**
 * HTTP response compression: brotli or gzip as the request's Accept-Encoding allows (brotli first).
 * Compression runs on libuv's thread pool (node:zlib's async API), never on the event loop. Static
 * files are compressed once and kept (./static_files.ts); per-request documents (app pages,
 * autoload.js) are compressed as they are sent, at a fast level.
 */
import { promisify } from "node:util"
import { brotliCompress, constants, gzip } from "node:zlib"

import type { HTTPResponse } from "./http.ts"

export type ContentEncoding = "br" | "gzip"

/** How hard to try: `fast` for per-request documents and first use; `small` spends more CPU once. */
export type Effort = "fast" | "small"

const brotli = promisify(brotliCompress)
const gzip_async = promisify(gzip)

// Brotli quality 4 is faster than gzip -6 and smaller; quality 5 is what a file kept for the process's
// life gets on its first request (bokeh.min.js: ~0.2 s once, 1.39 MB → 0.35 MB). Quality 11 would save
// another ~12% at ~40× the time, which would be the first visitor's wait.
const BROTLI_QUALITY: Record<Effort, number> = { fast: 4, small: 5 }
const GZIP_LEVEL: Record<Effort, number> = { fast: 6, small: 9 }

/** Bodies smaller than this are sent as they are: the headers would cost more than the savings. */
export const MIN_COMPRESS_BYTES = 1024

/** `BOKEH_COMPRESS`: whether responses are compressed (on when unset); yes/no, true/false, on/off, 1/0 as Bokeh's boolean settings. */
/** Compresses `data` asynchronously. */
export async function compress(data: Uint8Array, encoding: ContentEncoding, effort: Effort): Promise<Buffer> {
  if (encoding === "br") {
    return await brotli(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY[effort],
        [constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    })
  }
  return await gzip_async(data, { level: GZIP_LEVEL[effort] })
}

/**
 * The encoding to send for a request's Accept-Encoding header, or null for none (identity). Codings
 * with q=0 are refused; `*` stands for any coding not named; between equal q values brotli wins.
 */
export function negotiate_encoding(accept_encoding: string | undefined): ContentEncoding | null {
  if (accept_encoding === undefined || accept_encoding === "") return null
  const q = new Map<string, number>()
  for (const part of accept_encoding.split(",")) {
    const [coding, ...params] = part.split(";").map((s) => s.trim().toLowerCase())
    if (coding === undefined || coding === "") continue
    let weight = 1
    for (const p of params) {
      const m = /^q=([0-9.]+)$/.exec(p)
      if (m !== null) weight = Number(m[1])
    }
    if (Number.isFinite(weight)) q.set(coding, weight)
  }
  const weight = (coding: string): number => q.get(coding) ?? (coding === "gzip" ? q.get("x-gzip") : undefined) ?? q.get("*") ?? 0
  const br = weight("br")
  const gz = weight("gzip")
  if (br <= 0 && gz <= 0) return null
  return br >= gz ? "br" : "gzip"
}

const COMPRESSIBLE = /^(text\/|application\/(javascript|json|xml|wasm)|image\/svg\+xml|image\/x-icon)/

/** Whether a content type is worth compressing (text and the like; not images, fonts, archives). */
export function is_compressible(content_type: string | undefined): boolean {
  return content_type !== undefined && COMPRESSIBLE.test(content_type)
}

/** Adds `Accept-Encoding` to a response's Vary header. */
export function vary_accept_encoding(headers: Record<string, string | string[]>): void {
  const existing = headers["Vary"]
  headers["Vary"] = existing === undefined || existing === "" ? "Accept-Encoding" : `${String(existing)}, Accept-Encoding`
}

/**
 * A per-request document compressed for `accept_encoding` (fast level), with `Vary: Accept-Encoding`.
 * Responses that are not 200, not compressible, already encoded or small are returned as they are.
 */
export async function compress_document(response: HTTPResponse, accept_encoding: string | undefined): Promise<HTTPResponse> {
  const content_type = response.headers["Content-Type"]
  if (response.status !== 200 || typeof content_type !== "string" || !is_compressible(content_type) || response.headers["Content-Encoding"] !== undefined)
    return response
  const headers = { ...response.headers }
  vary_accept_encoding(headers)
  const body = typeof response.body === "string" ? Buffer.from(response.body, "utf8") : response.body
  const encoding = negotiate_encoding(accept_encoding)
  if (encoding === null || body.byteLength < MIN_COMPRESS_BYTES) return { ...response, headers, body }
  headers["Content-Encoding"] = encoding
  return { ...response, headers, body: await compress(body, encoding, "fast") }
}
