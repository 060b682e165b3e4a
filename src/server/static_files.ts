/**
 * Static files: BokehJS's build at `/static/` and apps' `static/` directories. Files are read
 * asynchronously and kept in a bounded in-memory cache (least recently used out first), together with
 * their brotli/gzip forms, each made once, on the first request that accepts it. Caching: a `?v=`
 * cache buster matching the file's hash (or any `?v=` on an app's file, as Tornado does) makes the
 * response `immutable` for a year; everything else is `no-cache` with validators (ETag,
 * Last-Modified), answered with 304 when the browser's copy is current.
 */
import { createHash } from "node:crypto"
import { readFile, stat } from "node:fs/promises"
import { extname, resolve, sep } from "node:path"
import { LRUCache } from "lru-cache"
import mime from "mime-types"

import { resource_hash } from "../embed/resources.ts"
import { log } from "../util/logging.ts"
import { compress, is_compressible, MIN_COMPRESS_BYTES, negotiate_encoding, vary_accept_encoding, type ContentEncoding } from "./compression.ts"
import type { HTTPResponse } from "./http.ts"
import { text } from "./http.ts"

/** The Content-Type of a file name, from mime-db (`.wasm`, `.webp`, `.pdf`, … included); unknown kinds are octet-stream. */
function content_type_of(path: string): string {
  return mime.contentType(extname(path)) || "application/octet-stream"
}

interface Cached {
  readonly data: Buffer
  /** The file's content hash: the opaque part of every ETag of this file. */
  readonly hash: string
  readonly mtime: number
  /** Compressed forms, made on first use (a failed one is dropped, and identity is served). */
  readonly encoded: Map<ContentEncoding, Promise<Buffer>>
}

/** What the cache may hold, in bytes (a file counts twice: itself plus room for its compressed forms). */
export const STATIC_CACHE_BYTES = 128 * 1024 * 1024
/** Files larger than this are read for each request and sent as they are, never cached. */
const MAX_CACHED_FILE = 16 * 1024 * 1024

export const static_cache = new LRUCache<string, Cached>({ maxSize: STATIC_CACHE_BYTES, sizeCalculation: (entry) => Math.max(1, 2 * entry.data.byteLength) })

export interface StaticRequest {
  /** The `?v=` argument. */
  readonly version: string | undefined
  readonly if_none_match: string | undefined
  readonly if_modified_since: string | undefined
  readonly accept_encoding: string | undefined
  /** Whether to send compressed forms (`--compress`). */
  readonly compress: boolean
}

/** Serves `relative` from `root` (never outside it). */
export async function serve_static(root: string, relative: string, request: StaticRequest): Promise<HTTPResponse> {
  let decoded: string
  try {
    decoded = decodeURIComponent(relative)
  } catch {
    return text(404, "404: Not Found")
  }
  const base = resolve(root)
  const path = resolve(base, decoded)
  if (path !== base && !path.startsWith(base + sep)) return text(403, "403: Forbidden")
  let info
  try {
    info = await stat(path)
  } catch {
    return text(404, "404: Not Found")
  }
  if (!info.isFile()) return text(404, "404: Not Found")
  let entry = static_cache.get(path)
  if (entry === undefined || entry.mtime !== info.mtimeMs) {
    const data = await readFile(path)
    entry = { data, hash: createHash("sha1").update(data).digest("hex"), mtime: info.mtimeMs, encoded: new Map() }
    if (data.byteLength <= MAX_CACHED_FILE) static_cache.set(path, entry)
  }
  const content_type = content_type_of(path)
  const hash = resource_hash(relative)
  const headers: Record<string, string> = {
    "Content-Type": content_type,
    "Last-Modified": new Date(entry.mtime).toUTCString(),
    "Cache-Control": request.version !== undefined && (hash === undefined || hash === request.version) ? "max-age=31536000, public, immutable" : "no-cache",
  }
  const compressible =
    request.compress && is_compressible(content_type) && entry.data.byteLength >= MIN_COMPRESS_BYTES && entry.data.byteLength <= MAX_CACHED_FILE
  if (compressible) vary_accept_encoding(headers)
  const encoding = compressible ? negotiate_encoding(request.accept_encoding) : null
  // Each form has its own ETag (a cache must not mix them up); any of them validates the file.
  headers["Etag"] = `"${entry.hash}${encoding === null ? "" : `-${encoding}`}"`
  if (not_modified(entry, request)) return { status: 304, headers, body: "" }
  if (encoding === null) return { status: 200, headers, body: entry.data }
  const body = await encoded(entry, encoding, path)
  if (body === null) {
    headers["Etag"] = `"${entry.hash}"`
    return { status: 200, headers, body: entry.data }
  }
  headers["Content-Encoding"] = encoding
  return { status: 200, headers, body }
}

/** RFC 9110 §13.1: If-None-Match (weak comparison) when present, else If-Modified-Since. */
function not_modified(entry: Cached, request: StaticRequest): boolean {
  if (request.if_none_match !== undefined) {
    if (request.if_none_match.trim() === "*") return true
    return request.if_none_match.split(",").some((tag) => {
      const opaque = tag.trim().replace(/^W\//, "").replace(/^"|"$/g, "")
      return opaque === entry.hash || opaque === `${entry.hash}-br` || opaque === `${entry.hash}-gzip`
    })
  }
  if (request.if_modified_since !== undefined) {
    const since = Date.parse(request.if_modified_since)
    // HTTP dates have whole seconds.
    return Number.isFinite(since) && Math.floor(entry.mtime / 1000) * 1000 <= since
  }
  return false
}

/** The file's compressed form, made once (concurrent requests share it); null if compression failed. */
async function encoded(entry: Cached, encoding: ContentEncoding, path: string): Promise<Buffer | null> {
  let pending = entry.encoded.get(encoding)
  if (pending === undefined) {
    pending = compress(entry.data, encoding, "small")
    entry.encoded.set(encoding, pending)
  }
  try {
    return await pending
  } catch (error) {
    entry.encoded.delete(encoding)
    log.error(`could not ${encoding}-compress ${path}`, error)
    return null
  }
}
