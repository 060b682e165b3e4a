/**
 * Compiled app modules kept on disk, keyed by a hash of what produced them (the source, the esbuild
 * options and version, this format), so starting a server on an app it has compiled before (a restart,
 * the next `serve`, every `--dev` spare) neither starts esbuild nor waits for it. The cache lives in the
 * system's temporary folder (per user; BOKEH_TS_CACHE_DIR overrides), never beside the app, whose folder
 * may be read-only. It is best effort: an entry that cannot be read or written is compiled again.
 */
import { createHash } from "node:crypto"
import { mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"

import type { TransformOptions, TransformResult } from "esbuild"
import { read_setting } from "../../settings.ts"

/** Bumped when what is stored changes shape. */
const FORMAT = 1

export function compile_cache_dir(): string {
  return read_setting("ts_cache_dir") ?? join(tmpdir(), `bokeh-ts-${process.getuid?.() ?? "user"}`, "compiled")
}

let esbuild_version: string | null = null

function cache_key(source: string, options: TransformOptions): string {
  esbuild_version ??= (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version
  return createHash("sha256")
    .update(JSON.stringify([FORMAT, esbuild_version, options]))
    .update("\0")
    .update(source)
    .digest("hex")
}

type Compiled = Pick<TransformResult, "code" | "map">

/** esbuild's `transform(source, options)`, from the cache when this exact compilation ran before. */
export async function cached_transform(source: string, options: TransformOptions): Promise<Compiled> {
  const dir = compile_cache_dir()
  const file = join(dir, `${cache_key(source, options)}.json`)
  try {
    const hit = JSON.parse(await readFile(file, "utf8")) as Compiled
    if (typeof hit.code === "string" && typeof hit.map === "string") return hit
  } catch {
    // not cached yet (or unreadable): compile
  }
  const { transform } = await import("esbuild")
  const { code, map } = await transform(source, options)
  try {
    await mkdir(dir, { recursive: true })
    // Written whole, then renamed: a concurrent reader (another worker) sees all of it or nothing.
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`
    await writeFile(partial, JSON.stringify({ code, map }))
    await rename(partial, file)
  } catch {
    // a cache that cannot be written only costs the next start a compilation
  }
  return { code, map }
}
