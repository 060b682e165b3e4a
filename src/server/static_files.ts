/**
 * Static files: BokehJS's build at `/static/` and apps' `static/` directories. Files are read
 * asynchronously, kept in memory, and sent with ETags; a `?v=` cache buster matching the file's
 * hash makes the response cacheable for a year.
 */
import { createHash } from "node:crypto"
import { readFile, stat } from "node:fs/promises"
import { extname, resolve, sep } from "node:path"

import { resource_hash } from "../embed/resources.ts"
import type { HTTPResponse } from "./http.ts"
import { text } from "./http.ts"

const content_types: Record<string, string> = {
  ".js": "application/javascript",
  ".mjs": "application/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".map": "application/json",
  ".html": "text/html; charset=UTF-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".txt": "text/plain",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".csv": "text/csv",
}

interface Cached {
  readonly data: Buffer
  readonly etag: string
  readonly mtime: number
}

const cache = new Map<string, Cached>()

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
  let entry = cache.get(path)
  if (entry === undefined || entry.mtime !== info.mtimeMs) {
    const data = await readFile(path)
    entry = { data, etag: `"${createHash("sha1").update(data).digest("hex")}"`, mtime: info.mtimeMs }
    cache.set(path, entry)
  }
  const headers: Record<string, string> = {
    "Content-Type": content_types[extname(path).toLowerCase()] ?? "application/octet-stream",
    Etag: entry.etag,
    "Last-Modified": new Date(entry.mtime).toUTCString(),
  }
  const hash = resource_hash(relative)
  headers["Cache-Control"] = version !== undefined && (hash === undefined || hash === version) ? "max-age=31536000, public, immutable" : "no-cache"
  if (if_none_match !== undefined && if_none_match.split(",").some((t) => t.trim() === entry.etag)) return { status: 304, headers, body: "" }
  return { status: 200, headers, body: entry.data }
}
