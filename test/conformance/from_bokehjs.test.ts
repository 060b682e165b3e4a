/**
 * Documents BokehJS builds (with its own plotting API) load into ours and come back unchanged: BokehJS
 * loads our re-serialization, and its to_json then equals its original.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import "../../src/models/main.ts"
import { Document } from "../../src/document/document.ts"
import { json_diff } from "./json_diff.ts"
import { B, buffers_map, to_b_buffers, type Wire } from "./oracle.ts"

B.set_log_level("error")
const P = B.Plotting

function plots(): unknown[] {
  const p1 = P.figure({ title: "lines", width: 400, height: 300, tools: "pan,wheel_zoom,box_select,hover,reset" })
  p1.line({ x: [1, 2, 3], y: [4, 5, NaN], line_color: "red", legend_label: "l" })
  p1.scatter({ x: new Float64Array([1, 2, 3]), y: [3, 2, 1], marker: "square", size: 12, fill_alpha: 0.5 })
  const p2 = P.figure({ x_range: ["a", "b", "c"], title: "bars" })
  p2.vbar({ x: ["a", "b", "c"], top: [1, 2, 3], width: 0.9 })
  const p3 = P.figure({ title: "image", x_range: [0, 10], y_range: [0, 10] })
  const img = B.ndarray(new Float32Array([0, 1, 2, 3, 4, 5]), { shape: [2, 3] })
  p3.image({ image: [img], x: 0, y: 0, dw: 10, dh: 10 })
  return [p1, p2, p3]
}

function roundtrip(bdoc: { to_json(): unknown }): { original: unknown; again: unknown } {
  const original = JSON.parse(JSON.stringify(bdoc.to_json()))
  const ours = Document.from_json(JSON.parse(JSON.stringify(original)))
  const { doc: json, buffers } = ours.to_json_with_buffers("buffers")
  const wire: Wire = { text: JSON.stringify(json), buffers: buffers_map(buffers) }
  const back = B.Document.from_json(JSON.parse(wire.text), undefined, to_b_buffers(wire.buffers))
  return { original, again: JSON.parse(JSON.stringify(back.to_json())) }
}

// BokehJS always sends a DocumentConfig (ours doesn't keep it yet); compare everything else.
function strip_config(json: unknown): unknown {
  const { config: _config, ...rest } = json as Record<string, unknown>
  return same_arrays(rest)
}

// A plain typed array travels as a typed_array rep from BokehJS and as a 1-d ndarray rep from us (as
// from Python); both decode to the same typed array, so treat them as one form.
function same_arrays(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(same_arrays)
  if (typeof v !== "object" || v === null) return v
  const o = v as Record<string, unknown>
  if (o["type"] === "typed_array") return { type: "ndarray", array: o["array"], dtype: o["dtype"], order: o["order"] }
  if (o["type"] === "ndarray" && Array.isArray(o["shape"]) && o["shape"].length === 1) {
    const { shape: _shape, ...rest } = o
    return rest
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, same_arrays(x)]))
}

test("BokehJS plotting documents load into ours and come back equal", () => {
  const bdoc = new B.Document()
  for (const p of plots()) bdoc.add_root(p)
  bdoc.set_title("from BokehJS é😀")
  const { original, again } = roundtrip(bdoc)
  assert.deepEqual(json_diff(strip_config(again), strip_config(original)), [])
})

test("a BokehJS widget document loads into ours and comes back equal", () => {
  const M = (n: string) => B.Models.get(n)
  const slider = new (M("Slider"))({ start: 0, end: 10, value: 3, title: "s" })
  const select = new (M("Select"))({ options: ["a", "b"], value: "a" })
  const source = new (M("ColumnDataSource"))({ data: { x: [1, 2], y: ["p", "q"] } })
  const table = new (M("DataTable"))({ source, columns: [new (M("TableColumn"))({ field: "x", title: "X" })] })
  const bdoc = new B.Document()
  bdoc.add_root(new (M("Column"))({ children: [slider, select, table] }))
  const { original, again } = roundtrip(bdoc)
  assert.deepEqual(json_diff(strip_config(again), strip_config(original)), [])
})
