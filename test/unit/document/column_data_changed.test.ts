/** Replacing a ColumnDataSource's `data` is a ColumnDataChanged of every column, as Python sends it. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { ColumnDataChangedEvent, type DocumentChangedEvent } from "../../../src/document/events.ts"
import { create_json_patch } from "../../../src/document/patches.ts"
import { ColumnDataSource, Slider } from "../../../src/models/main.ts"

function setup(): { doc: Document; source: ColumnDataSource; events: DocumentChangedEvent[] } {
  const doc = new Document()
  const source = new ColumnDataSource({ data: { x: new Float64Array([1, 2]) } })
  doc.add_root(source)
  const events: DocumentChangedEvent[] = []
  doc.on_change((e) => events.push(e))
  return { doc, source, events }
}

describe("ColumnDataSource.data = ...", () => {
  it("is a ColumnDataChanged with cols null, written out as null", () => {
    const { doc, source, events } = setup()
    source.data = { x: new Float64Array([3]), y: [4] }
    assert.equal(events.length, 1)
    const event = events[0]!
    assert.ok(event instanceof ColumnDataChangedEvent)
    const patch = create_json_patch(doc, [event], "lists")
    const [json] = (patch.content as { events: Array<Record<string, unknown>> }).events
    assert.deepEqual(Object.keys(json!), ["kind", "model", "attr", "data", "cols"])
    assert.deepEqual([json!["kind"], json!["attr"], json!["cols"]], ["ColumnDataChanged", "data", null])
  })

  it("a peer's ModelChanged of data becomes a ColumnDataChanged for the others, and on_change callbacks run", async () => {
    const { doc, source, events } = setup()
    let called = 0
    source.on_change("data", () => called++)
    await doc.apply_json_patch(
      { events: [{ kind: "ModelChanged", model: { id: source.id }, attr: "data", new: { type: "map", entries: [["x", [5, 6, 7]]] } }] },
      undefined,
      "peer",
    )
    assert.ok(events[0] instanceof ColumnDataChangedEvent)
    assert.equal(events[0].setter, "peer")
    assert.deepEqual(source.data["x"], [5, 6, 7])
    assert.equal(called, 1)
  })

  it("other properties still give ModelChanged", () => {
    const doc = new Document()
    const slider = new Slider({ start: 0, end: 1, value: 0 })
    doc.add_root(slider)
    const kinds: string[] = []
    doc.on_change((e) => kinds.push(e.constructor.name))
    slider.value = 1
    assert.deepEqual(kinds, ["ModelChangedEvent"])
  })
})
