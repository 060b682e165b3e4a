/**
 * A stored session document applied over the document the app builds again for the same session id
 * (the same deterministic ids): values, added and removed models, title and roots come back; callbacks
 * the app attached stay; restoring runs no on_change callback; a state that does not fit changes nothing.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { with_id_source } from "../../../src/core/ids.ts"
import { SessionIdSource } from "../../../src/core/session_ids.ts"
import { Document } from "../../../src/document/document.ts"
import { Column, ColumnDataSource, Div, Slider } from "../../../src/models/main.ts"
import { capture_document, restore_document } from "../../../src/server/session_store/session_state.ts"
import { SerializationError } from "../../../src/core/errors.ts"

interface Built {
  doc: Document
  ids: SessionIdSource
  calls: number[]
}

/** An app: a slider whose callback rescales the data; a Column with an "extra" Div a callback may remove. */
function build(session_id: string): Built {
  const ids = new SessionIdSource(session_id)
  const doc = new Document()
  const calls: number[] = []
  with_id_source(ids, () => {
    const source = new ColumnDataSource({ name: "source", data: { y: new Float64Array([1, 2, 3]) } })
    const slider = new Slider({ name: "slider", start: 0, end: 10, value: 1, step: 1 })
    slider.on_change("value", (_a, _o, v) => {
      calls.push(v as number)
      source.data = { y: new Float64Array([1, 2, 3].map((y) => y * (v as number))) }
    })
    doc.add_root(new Column({ name: "column", children: [slider, new Div({ name: "extra", text: "extra" })] }))
    doc.add_root(source)
    doc.title = "built"
  })
  return { doc, ids, calls }
}

/** The document's JSON without its config (made lazily when first serialized, with a process-local id here). */
function without_config(doc: Document): unknown {
  const { config: _config, ...rest } = doc.to_json_with_buffers("lists").doc
  return rest
}

function state_of(doc: Document) {
  const { doc: json, buffers } = capture_document(doc)
  return { json: JSON.parse(JSON.stringify(json)) as unknown, buffers: new Map(buffers.map((b) => [b.id, b.data])) }
}

describe("restore_document", () => {
  it("brings back values, models added and removed, title and roots; the app's callbacks stay attached", () => {
    const a = build("session-1")
    with_id_source(a.ids, () => {
      ;(a.doc.get_model_by_name("slider") as Slider).value = 4
      const column = a.doc.get_model_by_name("column") as Column
      column.children = [column.children[0]!, new Div({ name: "added", text: "added by a callback" })]
      a.doc.remove_root(a.doc.roots[1]!)
      a.doc.add_root(new Div({ name: "new_root", text: "root" }))
      a.doc.title = "changed"
    })
    const stored = state_of(a.doc)
    const b = build("session-1")
    const slider_before = b.doc.get_model_by_name("slider")
    with_id_source(b.ids, () => restore_document(b.doc, stored.json, stored.buffers))
    assert.deepEqual(without_config(b.doc), without_config(a.doc))
    assert.equal(b.doc.title, "changed")
    assert.equal(b.doc.get_model_by_name("extra"), null)
    assert.equal(b.doc.get_model_by_name("source"), null)
    assert.equal((b.doc.get_model_by_name("added") as Div).text, "added by a callback")
    // The same slider object (the app's callback is attached to it); restoring ran no callback.
    const slider = b.doc.get_model_by_name("slider") as Slider
    assert.equal(slider, slider_before)
    assert.equal(slider.value, 4)
    assert.deepEqual(b.calls, [])
    slider.value = 5
    assert.deepEqual(b.calls, [5])
  })

  it("restores column data from binary buffers", () => {
    const a = build("session-2")
    with_id_source(a.ids, () => {
      ;(a.doc.get_model_by_name("slider") as Slider).value = 3
    })
    const stored = state_of(a.doc)
    assert.ok(stored.buffers.size > 0, "numeric arrays are stored as binary buffers")
    const b = build("session-2")
    restore_document(b.doc, stored.json, stored.buffers)
    assert.deepEqual(Array.from((b.doc.get_model_by_name("source") as ColumnDataSource).data["y"] as Float64Array), [3, 6, 9])
  })

  it("a state that does not fit the app changes nothing", () => {
    const b = build("session-3")
    const before = JSON.stringify(b.doc.to_json_with_buffers("lists").doc)
    assert.throws(() => restore_document(b.doc, { roots: [{ type: "object", name: "NoSuchModel", id: "x" }] }, new Map()), SerializationError)
    assert.throws(() => restore_document(b.doc, { roots: "nope" }, new Map()), SerializationError)
    const slider_id = b.doc.get_model_by_name("slider")!.id
    // A known id given another type.
    assert.throws(
      () => restore_document(b.doc, { roots: [{ type: "object", name: "Div", id: slider_id, attributes: { text: "x" } }] }, new Map()),
      SerializationError,
    )
    assert.equal(JSON.stringify(b.doc.to_json_with_buffers("lists").doc), before)
  })
})
