/**
 * Static files: BokehJS's build at `/static/` and apps' `static/` directories. Files are read
 * asynchronously, kept in memory (up to STATIC_CACHE_BYTES, least recently used dropped first), and
 * sent with ETags; a `?v=` cache buster matching the file's
 * hash makes the response cacheable for a year.
 */
import { createHash } from "node:crypto"
import { readFile, stat } from "node:fs/promises"
import { extname, resolve, sep } from "node:path"
import mime from "mime-types"

import { resource_hash } from "../embed/resources.ts"
import { ByteLRU } from "./byte_lru.ts"
import type { HTTPResponse } from "./http.ts"
import { text } from "./http.ts"

/** The Content-Type of a file name, from mime-db (`.wasm`, `.webp`, `.pdf`, … included); unknown kinds are octet-stream. */
function content_type(path: string): string {
  return mime.contentType(extname(path)) || "application/octet-stream"
}

interface Cached {
  readonly data: Buffer
  readonly etag: string
  readonly mtime: number
}

/** Bytes of file contents kept in memory, least recently used dropped first. */
export const STATIC_CACHE_BYTES = 64 * 1024 * 1024

export const static_cache = new ByteLRU<Buffer, Cached>(STATIC_CACHE_BYTES)

/**
 * Serves `relative` from `root` (never outside it). `version` is the `?v=` argument;
 * `if_none_match` the request's header.
 */
export async function serve_static(root: string, relative: string, version: string | undefined, if_none_match: string | undefined): Promise<HTTPResponse> {
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
    entry = { data, etag: `"${createHash("sha1").update(data).digest("hex")}"`, mtime: info.mtimeMs }
    static_cache.set(path, entry)
  }
  const headers: Record<string, string> = {
    "Content-Type": content_type(path),
    Etag: entry.etag,
    "Last-Modified": new Date(entry.mtime).toUTCString(),
  }
  const hash = resource_hash(relative)
  headers["Cache-Control"] = version !== undefined && (hash === undefined || hash === version) ? "max-age=31536000, public, immutable" : "no-cache"
  if (if_none_match !== undefined && if_none_match.split(",").some((t) => t.trim() === entry.etag)) return { status: 304, headers, body: "" }
  return { status: 200, headers, body: entry.data }
}
