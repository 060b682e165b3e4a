/**
 * Patches made on either side apply on the other (through JSON text and binary buffers or inline
 * base64+gzip, as the wire carries them) and leave both documents with equal values.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { ColumnDataSource, Div, Column, Slider } from "../../src/models/main.ts"
import { Document } from "../../src/document/document.ts"
import { DocumentPatchedEvent, type DocumentChangedEvent } from "../../src/document/events.ts"
import { ClearInput } from "../../src/core/bokeh_events.ts"
import { slice } from "../../src/core/util/column_data.ts"
import { ndarray } from "../../src/core/util/ndarray.ts"
import { B, b_wire, buffers_map, diff_document, to_b_buffers, to_bokehjs, type Wire } from "./oracle.ts"
import type { ArrayEncoding } from "../../src/core/serialization/serializer.ts"
import type { BokehJS } from "../../scripts/bokehjs/load.ts"

B.set_log_level("error")

function base(): Document {
  const doc = new Document()
  const source = new ColumnDataSource({
    id: "src",
    data: { x: new Float64Array([1, 2, 3]), y: [4, 5, 6], s: ["a", "b", "c"], img: [ndarray(new Float64Array([0, 1, 2, 3, 4, 5]), [2, 3])] },
  })
  doc.add_root(new Column({ id: "col", children: [new Slider({ id: "sl", start: 0, end: 10, value: 1 }), new Div({ id: "div", text: "hi" })] }))
  doc.add_root(source)
  doc.title = "patches"
  return doc
}

/** Our change → our patch → wire → BokehJS. */
function ours_to_b(doc: Document, bdoc: BokehJS, change: () => void, arrays: ArrayEncoding): Wire {
  const events: DocumentPatchedEvent[] = []
  const cb = (e: DocumentChangedEvent): void => {
    if (e instanceof DocumentPatchedEvent) events.push(e)
  }
  doc.on_change(cb)
  change()
  doc.remove_on_change(cb)
  assert.ok(events.length > 0, "the change made events")
  const { content, buffers } = doc.create_json_patch(events, arrays)
  const wire: Wire = { text: JSON.stringify(content), buffers: buffers_map(buffers) }
  if (arrays === "base64") assert.equal(wire.buffers.size, 0)
  bdoc.apply_json_patch(JSON.parse(wire.text), to_b_buffers(wire.buffers))
  return wire
}

/** BokehJS's change → its patch (binary buffers, as its Message.send does) → wire → ours. */
async function b_to_ours(bdoc: BokehJS, doc: Document, change: () => void, arrays: "buffers" | "base64" = "buffers"): Promise<Wire> {
  const events: BokehJS[] = []
  const cb = (e: BokehJS): void => {
    if (e instanceof B.DocumentEvents.DocumentChangedEvent) events.push(e)
  }
  bdoc.on_change(cb, true)
  change()
  bdoc.remove_on_change(cb)
  assert.ok(events.length > 0, "BokehJS's change made events")
  let wire: Wire
  if (arrays === "buffers") wire = b_wire(bdoc.create_json_patch(events))
  else {
    // BokehJS sends only binary patches; its serializer with binary off gives inline base64.
    const references = new Map([...bdoc._all_models.values()].filter((m: BokehJS) => !bdoc._new_models.has(m)).map((m: BokehJS) => [m, m.ref()]))
    const s = new B.Serializer({ references, binary: false })
    wire = { text: JSON.stringify({ events: s.encode(events) }), buffers: new Map() }
    bdoc._new_models.clear()
  }
  await doc.apply_json_patch(JSON.parse(wire.text), wire.buffers)
  return wire
}

function same(doc: Document, bdoc: BokehJS): void {
  assert.deepEqual(diff_document(doc, bdoc), [])
  assert.equal(bdoc.title(), doc.title)
  assert.deepEqual(
    bdoc.roots().map((r: BokehJS) => r.id),
    doc.roots.map((r) => r.id),
  )
}

function pair(): { doc: Document; bdoc: BokehJS } {
  const doc = base()
  const bdoc = to_bokehjs(doc, "buffers")
  same(doc, bdoc)
  return { doc, bdoc }
}

const src = (doc: Document): ColumnDataSource => doc.get_model_by_id("src") as ColumnDataSource
const bm = (bdoc: BokehJS, id: string): BokehJS => bdoc.get_model_by_id(id)
const M = (name: string): BokehJS => B.Models.get(name)

for (const arrays of ["buffers", "base64"] as const) {
  test(`ours → BokehJS (${arrays}): ModelChanged, new models by reference, roots, title`, () => {
    const { doc, bdoc } = pair()
    ours_to_b(doc, bdoc, () => ((doc.get_model_by_id("sl") as Slider).value = 7.5), arrays)
    ours_to_b(
      doc,
      bdoc,
      () => ((doc.get_model_by_id("col") as Column).children = [...(doc.get_model_by_id("col") as Column).children, new Div({ id: "new_div", text: "new é" })]),
      arrays,
    )
    assert.ok(bm(bdoc, "new_div") != null)
    ours_to_b(doc, bdoc, () => doc.add_root(new Slider({ id: "root2", start: 0, end: 1, value: 0.5 })), arrays)
    ours_to_b(doc, bdoc, () => doc.remove_root(doc.get_model_by_id("col")!), arrays)
    ours_to_b(doc, bdoc, () => (doc.title = "new title 😀"), arrays)
    same(doc, bdoc)
  })

  test(`ours → BokehJS (${arrays}): ColumnDataChanged, ColumnsStreamed (rollover), ColumnsPatched`, () => {
    const { doc, bdoc } = pair()
    ours_to_b(doc, bdoc, () => (src(doc).data = { ...src(doc).data, x: new Float64Array([9, 8, 7]), y: [1, 2, 3] }), arrays)
    same(doc, bdoc)
    ours_to_b(
      doc,
      bdoc,
      () =>
        src(doc).stream({
          x: new Float64Array([10, 11]),
          y: [7, 8],
          s: ["d", "e"],
          img: [ndarray(new Float64Array(6), [2, 3]), ndarray(new Float64Array(6).fill(1), [2, 3])],
        }),
      arrays,
    )
    same(doc, bdoc)
    // BokehJS leaves a typed column longer than `rollover` at its length (Python and we cut it), so
    // roll over at a length the columns haven't reached yet.
    ours_to_b(
      doc,
      bdoc,
      () =>
        src(doc).stream(
          { x: new Float64Array([12, 13]), y: [9, 10], s: ["f", "g"], img: [ndarray(new Float64Array(6), [2, 3]), ndarray(new Float64Array(6), [2, 3])] },
          6,
        ),
      arrays,
    )
    same(doc, bdoc)
    assert.equal(bm(bdoc, "src").data["x"].length, 6)
    ours_to_b(
      doc,
      bdoc,
      () =>
        src(doc).patch({
          x: [[0, 100]],
          y: [[slice(1, 3), [-1, -2]]], // BokehJS reads a [row, i, j] value as a list even for one cell: send [42].
          img: [
            [[0, 1, 2], [42]],
            [
              [1, slice(0, 2), 1],
              [7, 8],
            ],
          ],
        }),
      arrays,
    )
    same(doc, bdoc)
  })

  test(`ours → BokehJS (${arrays}): MessageSent (bokeh_event)`, async () => {
    const { doc, bdoc } = pair()
    const got: unknown[] = []
    bdoc.on_message("bokeh_event", (data: unknown) => got.push(data))
    ours_to_b(doc, bdoc, () => doc.send_event(new (ClearInput as unknown as new (v: unknown) => never)({ model: doc.get_model_by_id("sl") })), arrays)
    assert.equal(got.length, 1)
    same(doc, bdoc)
  })
}

for (const arrays of ["buffers", "base64"] as const) {
  test(`BokehJS → ours (${arrays}): ModelChanged, new models by reference, roots, title`, async () => {
    const { doc, bdoc } = pair()
    await b_to_ours(bdoc, doc, () => bm(bdoc, "sl").setv({ value: 3.25 }), arrays)
    const bdiv = new (M("Div"))({ text: "from B" })
    await b_to_ours(bdoc, doc, () => bm(bdoc, "col").setv({ children: [...bm(bdoc, "col").children, bdiv] }), arrays)
    assert.ok(doc.get_model_by_id(bdiv.id) instanceof Div)
    await b_to_ours(bdoc, doc, () => bdoc.add_root(new (M("Slider"))({ start: 0, end: 2, value: 1 })), arrays)
    await b_to_ours(bdoc, doc, () => bdoc.remove_root(bm(bdoc, "col")), arrays)
    await b_to_ours(bdoc, doc, () => bdoc.set_title("B title"), arrays)
    same(doc, bdoc)
  })

  test(`BokehJS → ours (${arrays}): ColumnDataChanged, ColumnsStreamed (rollover), ColumnsPatched`, async () => {
    const { doc, bdoc } = pair()
    const bsrc = bm(bdoc, "src")
    // Full columns: BokehJS's ColumnDataChanged with `cols` replaces the data instead of merging.
    await b_to_ours(bdoc, doc, () => bsrc.setv({ data: { ...bsrc.data, x: new Float64Array([5, 6, 7]) } }), arrays)
    same(doc, bdoc)
    await b_to_ours(
      bdoc,
      doc,
      () =>
        bsrc.stream({
          x: new Float64Array([8, 9]),
          y: [1, 2],
          s: ["p", "q"],
          img: [B.ndarray(new Float64Array(6), { shape: [2, 3] }), B.ndarray(new Float64Array(6), { shape: [2, 3] })],
        }),
      arrays,
    )
    same(doc, bdoc)
    await b_to_ours(
      bdoc,
      doc,
      () => bsrc.stream({ x: new Float64Array([10]), y: [3], s: ["r"], img: [B.ndarray(new Float64Array(6), { shape: [2, 3] })] }, 6),
      arrays,
    )
    same(doc, bdoc)
    assert.equal((src(doc).data as Record<string, ArrayLike<unknown>>)["x"]!.length, 6)
    await b_to_ours(bdoc, doc, () => bsrc.patch({ x: [[0, 50]], y: [[new B.Slice({ start: 0, stop: 2 }), [-5, -6]]], img: [[[1, 1, 2], [9]]] }), arrays)
    same(doc, bdoc)
  })
}
