/**
 * Compares documents built by our plotting API with those BokehJS's own plotting API builds.
 *
 * Both documents go through BokehJS (ours as wire JSON into `Document.from_json`), are re-serialized by
 * BokehJS with all defaults, and put into a canonical form: ids replaced by first-seen order, binary
 * arrays decoded into plain lists, map entries sorted by key. Equal canonical forms mean the same model types and property values.
 *
 * Where Python Bokeh and BokehJS's plotting APIs build different documents for the same call, we follow
 * Python and `normalize_bokehjs()` adjusts the oracle's models to Python's choice first:
 * - Grids: Python's figure gives each Grid its `axis`, BokehJS's gives it the axis's `ticker`.
 * - Axis labels: Python leaves `axis_label` null when none is given, BokehJS sets "".
 * - Selection and hover glyphs: Python creates them only when `selection_*`/`hover_*` arguments are
 *   given, BokehJS always does (copies of the main glyph, so they render the same).
 * Differences in arguments rather than documents are handled at the call sites in the tests:
 * - Default tools: Python's are "pan,wheel_zoom,box_zoom,save,reset,help", BokehJS's use
 *   "auto_box_zoom"; the oracle is given Python's list explicitly.
 * - Bare strings: for us (as in Python) a string names a column, for BokehJS it is a value; the oracle
 *   is given `{field: ...}`.
 */
import { after } from "node:test"
import { gunzipSync } from "node:zlib"
import { load_bokehjs, type BokehJS } from "../../scripts/bokehjs/load.ts"
import type { HasProps } from "../../src/core/has_props.ts"
import { Document } from "../../src/document/document.ts"
import { DTYPES } from "./wire_compare.ts"

export const B: BokehJS = await load_bokehjs()
/** BokehJS's own plotting API (`figure`, `gridplot`, …). */
export const BP: BokehJS = B.Plotting

// BokehJS in Node keeps the process alive (a MessageChannel): once node:test has reported, exit
// with the code it set (1 if anything failed).
after(() => {
  setTimeout(() => process.exit(), 200)
})

function decode_bytes(rep: { data: string }): ArrayBuffer {
  let bytes: Uint8Array = Buffer.from(rep.data, "base64")
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes)
  return Uint8Array.from(bytes).buffer
}

/** The canonical form of a BokehJS `to_json()` value. */
export function canonical(json: unknown): unknown {
  const ids = new Map<string, number>()
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk)
    if (v === null || typeof v !== "object") return v
    const obj = v as Record<string, unknown>
    if ((obj["type"] === "ndarray" || obj["type"] === "typed_array") && typeof obj["dtype"] === "string") {
      const array = obj["array"] as { type: string; data: string } | unknown[]
      if (Array.isArray(array)) return array.map(walk)
      const make = DTYPES[obj["dtype"] as string]
      if (make !== undefined && array.type === "bytes") return Array.from(make(decode_bytes(array)))
    }
    if (obj["type"] === "map" && Array.isArray(obj["entries"])) {
      // Column order in a data source is not meaningful (Python adds literal columns in argument
      // order, BokehJS visuals first): compare maps sorted by key.
      const entries = (obj["entries"] as [unknown, unknown][]).map(([k, v]) => [walk(k), walk(v)] as const)
      return { type: "map", entries: entries.sort(([a], [b]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) }
    }
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(obj)) {
      if (key === "id" && typeof value === "string") {
        if (!ids.has(value)) ids.set(value, ids.size)
        out[key] = ids.get(value)
      } else out[key] = walk(value)
    }
    return out
  }
  return walk(json)
}

function roots_json(bdoc: BokehJS): unknown {
  const json = bdoc.to_json()
  return JSON.parse(JSON.stringify({ roots: json.roots }))
}

/** Canonical form of a document holding our `roots`, as BokehJS sees it after loading it from the wire. */
export function ours(...roots: HasProps[]): unknown {
  const doc = new Document()
  for (const root of roots) doc.add_root(root)
  const { doc: json } = doc.to_json_with_buffers("base64")
  const bdoc = B.Document.from_json(JSON.parse(JSON.stringify(json)))
  return canonical(roots_json(bdoc))
}

/** Canonical form of a document holding BokehJS's `roots`, after the same round trip through JSON. */
export function theirs(...roots: BokehJS[]): unknown {
  const bdoc = new B.Document()
  for (const root of roots) bdoc.add_root(root)
  const again = B.Document.from_json(JSON.parse(JSON.stringify(bdoc.to_json())))
  return canonical(roots_json(again))
}

export interface NormalizeOptions {
  /** Keep BokehJS's selection glyphs (the call had `selection_*` arguments). */
  selection?: boolean
  /** Keep BokehJS's hover glyphs (the call had `hover_*` arguments). */
  hover?: boolean
}

/** Adjusts a BokehJS-built plot (and plots inside a layout) to Python's choices listed above. */
export function normalize_bokehjs(root: BokehJS, options: NormalizeOptions = {}): BokehJS {
  const Plot = B.Models.get("Plot")
  const Grid = B.Models.get("Grid")
  const Axis = B.Models.get("Axis")
  const GlyphRenderer = B.Models.get("GlyphRenderer")
  const plots: BokehJS[] = root instanceof Plot ? [root] : [...root.references()].filter((m: BokehJS) => m instanceof Plot)
  for (const plot of plots) {
    const axes: BokehJS[] = [...plot.below, ...plot.above, ...plot.left, ...plot.right].filter((a: BokehJS) => a instanceof Axis)
    for (const axis of axes) if (axis.axis_label === "") axis.axis_label = null
    for (const grid of plot.center.filter((g: BokehJS) => g instanceof Grid)) {
      const axis = axes.find((a) => a.ticker === grid.ticker)
      if (axis !== undefined) grid.setv({ axis, ticker: null })
    }
    for (const r of plot.renderers.filter((r: BokehJS) => r instanceof GlyphRenderer)) {
      if (options.selection !== true) r.selection_glyph = "auto"
      if (options.hover !== true) r.hover_glyph = null
    }
  }
  return root
}

/** Python's default tools, for oracle figures standing in for ours with default tools. */
export const PY_DEFAULT_TOOLS = "pan,wheel_zoom,box_zoom,save,reset,help"

/** Paths where two canonical forms differ (at most `max`), for readable failures. */
export function differences(a: unknown, b: unknown, max = 20): string[] {
  const out: string[] = []
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length >= max) return
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) {
      if (!Object.is(x, y)) out.push(`${path}: ours ${JSON.stringify(x)?.slice(0, 120)} vs BokehJS ${JSON.stringify(y)?.slice(0, 120)}`)
      return
    }
    if (Array.isArray(x) !== Array.isArray(y)) {
      out.push(`${path}: ours ${JSON.stringify(x).slice(0, 120)} vs BokehJS ${JSON.stringify(y).slice(0, 120)}`)
      return
    }
    const xo = x as Record<string, unknown>,
      yo = y as Record<string, unknown>
    const label = typeof xo["name"] === "string" ? `${path}<${xo["name"]}>` : path
    for (const key of new Set([...Object.keys(xo), ...Object.keys(yo)])) walk(xo[key], yo[key], `${label}.${key}`)
  }
  walk(a, b, "")
  return out
}

/** Asserts that our document and BokehJS's are equivalent, listing where they are not. */
export function assert_same(our: unknown, their: unknown): void {
  const diffs = differences(our, their)
  if (diffs.length > 0) throw new Error(`documents differ:\n  ${diffs.join("\n  ")}`)
}
