/**
 * Module customization hooks (they run in Node's loader thread, registered by app_loader.ts) that load
 * an app's own modules — its script, lifecycle module and the local modules they import — as ES modules
 * compiled in memory, whatever package.json (or none) their folder has:
 *
 * - nothing is written next to the app (read-only app folders work), and every module carries an inline
 *   source map, so stack traces name the user's file and line;
 * - `"bokeh-ts"` (and `"bokeh-ts/io"`, …) imported by app code always resolves to the running server's own
 *   entry point, so an app anywhere on disk reaches the server's `curdoc()` (one module graph, one copy of
 *   every model class);
 * - TypeScript (and JSX) is compiled by esbuild, loaded on first use, or comes from the compile cache
 *   (compile_cache.ts); plain JavaScript loads as it is;
 * - an app module's local imports (files outside node_modules and outside bokeh-ts's own sources) are app
 *   modules too; packages and bokeh-ts itself load as usual (through tsx when it is registered).
 *
 * The main thread registers entry points over a MessagePort and waits for the acknowledgement before
 * importing them, so the loader thread always knows an entry before Node asks for it.
 */
import { readFile } from "node:fs/promises"
import { extname } from "node:path"
import type { MessagePort } from "node:worker_threads"
import { fileURLToPath } from "node:url"

import type { TransformOptions } from "esbuild"

import { cached_transform } from "./compile_cache.ts"

/** A message from the main thread: `url` is an app module; with `source`, that is its ready-made ES module text. */
export interface EntryMessage {
  readonly id: number
  /** Absent: only start esbuild here (a --dev spare prepares so), then acknowledge. */
  readonly url?: string
  readonly source?: string
}

export interface HooksData {
  readonly port: MessagePort
  /** The URL of bokeh-ts's entry point (src/index.ts or dist/index.js), which `"bokeh-ts"` resolves to. */
  readonly bokeh_ts_url: string
}

interface ResolveContext {
  parentURL?: string
  conditions: string[]
  importAttributes?: Record<string, string>
}
interface ResolveResult {
  url: string
  format?: string | null
  shortCircuit?: boolean
}
interface LoadContext {
  format?: string | null
  conditions: string[]
  importAttributes?: Record<string, string>
}
interface LoadResult {
  format: string
  source?: string | ArrayBuffer | Uint8Array
  shortCircuit?: boolean
}

const COMPILED = new Set([".ts", ".mts", ".tsx", ".js", ".mjs", ".jsx"])

let bokeh_ts_url = ""
let bokeh_ts_dir = ""
/** URLs (without query) of app modules. */
const app_modules = new Set<string>()
/** Ready-made sources by full URL (the per-session bodies of app scripts). */
const sources = new Map<string, string>()

function without_query(url: string): string {
  const q = url.search(/[?#]/)
  return q < 0 ? url : url.slice(0, q)
}

function is_app_module(url: string): boolean {
  return sources.has(url) || app_modules.has(without_query(url))
}

/** Whether a resolved import of an app module is one of the app's own modules. */
function is_local(url: string): boolean {
  if (!url.startsWith("file:")) return false
  const path = without_query(url)
  return !path.includes("/node_modules/") && !path.startsWith(bokeh_ts_dir) && COMPILED.has(extname(path).toLowerCase())
}

export function initialize(data: HooksData): void {
  bokeh_ts_url = data.bokeh_ts_url
  bokeh_ts_dir = bokeh_ts_url.slice(0, bokeh_ts_url.lastIndexOf("/") + 1)
  data.port.on("message", (message: EntryMessage) => {
    if (message.url === undefined) {
      void import("esbuild").then(({ transform }) => transform("", { loader: "ts" })).then(() => data.port.postMessage(message.id))
      return
    }
    app_modules.add(without_query(message.url))
    if (message.source !== undefined) sources.set(message.url, message.source)
    data.port.postMessage(message.id)
  })
  data.port.unref()
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  // A script's compiled body exists only in memory (a notebook's script has no file at all).
  if (sources.has(specifier)) return { url: specifier, format: "module", shortCircuit: true }
  const parent = context.parentURL
  if (parent === undefined || !is_app_module(parent)) return next(specifier, context)
  // The running bokeh-ts, resolved by the next hooks (tsx's, when they load its .ts sources).
  const result = await next(own_entry(specifier) ?? specifier, context)
  if (is_local(result.url)) app_modules.add(without_query(result.url))
  return result
}

/** The URL of the running bokeh-ts's entry point for `"bokeh-ts"` or `"bokeh-ts/<sub>"` (e.g. io/index.ts), else null. */
function own_entry(specifier: string): string | null {
  if (specifier === "bokeh-ts") return bokeh_ts_url
  const sub = /^bokeh-ts\/([a-z_]+)$/.exec(specifier)?.[1]
  return sub === undefined ? null : new URL(`${sub}/index${extname(bokeh_ts_url)}`, bokeh_ts_dir).href
}

function loader_for(path: string): "ts" | "tsx" | "jsx" | "js" {
  const ext = extname(path).toLowerCase()
  return ext === ".ts" || ext === ".mts" ? "ts" : ext === ".tsx" ? "tsx" : ext === ".jsx" ? "jsx" : "js"
}

export async function load(url: string, context: LoadContext, next: (url: string, context: LoadContext) => Promise<LoadResult>): Promise<LoadResult> {
  const ready = sources.get(url)
  if (ready !== undefined) return { format: "module", source: ready, shortCircuit: true }
  if (!app_modules.has(without_query(url)) || !is_local(url)) return next(url, context)
  const path = fileURLToPath(without_query(url))
  const text = await readFile(path, "utf8")
  // Plain JavaScript is an ES module as it stands, whatever package.json (or none) its folder has.
  if (loader_for(path) === "js") return { format: "module", source: text, shortCircuit: true }
  const { code } = await cached_transform(text, app_transform_options(path))
  return { format: "module", source: code, shortCircuit: true }
}

/** esbuild options that compile one app module to an ES module with an inline source map. */
export function app_transform_options(path: string): TransformOptions {
  return {
    loader: loader_for(path),
    format: "esm",
    target: "node20",
    sourcefile: path,
    sourcemap: "inline",
    // Type-only imports are dropped, as tsc does without verbatimModuleSyntax.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false } },
  }
}
