/**
 * Document.hold / unhold, as Python's: "combine" (the default) folds later changes of one attribute
 * and consecutive streams into earlier events, "collect" keeps everything; either way the model
 * state is immediate and only the notifications wait.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { ColumnsStreamedEvent, ModelChangedEvent, type DocumentChangedEvent } from "../../../src/document/events.ts"
import { create_json_patch } from "../../../src/document/patches.ts"
import { ColumnDataSource, Div, Slider } from "../../../src/models/main.ts"

function setup() {
  const doc = new Document()
  const slider = new Slider({ start: 0, end: 10, value: 0 })
  const div = new Div({ text: "" })
  const source = new ColumnDataSource({ data: { x: new Float64Array([0]), y: new Float64Array([0]) } })
  doc.add_root(slider)
  doc.add_root(div)
  doc.add_root(source)
  const seen: DocumentChangedEvent[] = []
  doc.on_change((e) => seen.push(e))
  const calls: Array<[unknown, unknown]> = []
  slider.on_change("value", (_attr, old, value) => calls.push([old, value]))
  return { doc, slider, div, source, seen, calls }
}

const describe_events = (events: DocumentChangedEvent[]) =>
  events.map((e) =>
    e instanceof ModelChangedEvent
      ? `${e.attr}=${String(e.new_)}`
      : e instanceof ColumnsStreamedEvent
        ? `stream ${Array.from(e.data["x"] as Float64Array).join(",")}`
        : e.constructor.name,
  )

describe("Document.hold", () => {
  it("combine: one event per attribute with the last value, callbacks once, state immediate", () => {
    const { doc, slider, div, seen, calls } = setup()
    doc.hold()
    slider.value = 1
    div.text = "a"
    slider.value = 2
    slider.value = 3
    assert.equal(slider.value, 3, "the model changes at once")
    assert.deepEqual(seen, [])
    doc.unhold()
    assert.deepEqual(describe_events(seen), ["value=3", "text=a"])
    assert.deepEqual(calls, [[2, 3]], "the last change's callback runs, once")
  })

  it("combine: consecutive streams with one rollover become one stream (typed arrays stay typed)", () => {
    const { doc, source, seen } = setup()
    doc.hold("combine")
    source.stream({ x: new Float64Array([1, 2]), y: new Float64Array([1, 4]) }, 3)
    source.stream({ x: new Float64Array([3]), y: new Float64Array([9]) }, 3)
    source.stream({ x: new Float64Array([4]), y: new Float64Array([16]) }, 5) // another rollover: its own event
    doc.unhold()
    assert.deepEqual(describe_events(seen), ["stream 1,2,3", "stream 4"])
    assert.ok((seen[0] as ColumnsStreamedEvent).data["y"] instanceof Float64Array)
  })

  it("merged streams applied to a copy reproduce the held document's columns", async () => {
    const { doc, source, seen } = setup()
    const copy = Document.from_json(doc.to_json())
    doc.hold()
    for (let i = 1; i <= 4; i++) source.stream({ x: new Float64Array([i]), y: new Float64Array([i * i]) }, 3)
    doc.unhold()
    assert.equal(seen.length, 1)
    const patch = create_json_patch(doc, seen as ColumnsStreamedEvent[], "lists")
    await copy.apply_json_patch(patch.content, new Map(), "peer")
    const copied = copy.get_model_by_id(source.id) as ColumnDataSource
    assert.deepEqual(Array.from(copied.data["x"] as Float64Array), Array.from(source.data["x"] as Float64Array))
    assert.deepEqual(Array.from(source.data["x"] as Float64Array), [2, 3, 4])
  })

  it("collect keeps every event; a second hold with another policy is ignored; bad policies are refused", () => {
    const { doc, slider, seen, calls } = setup()
    doc.hold("collect")
    doc.hold("combine")
    slider.value = 1
    slider.value = 2
    doc.unhold()
    assert.deepEqual(describe_events(seen), ["value=1", "value=2"])
    assert.deepEqual(calls, [
      [0, 1],
      [1, 2],
    ])
    assert.throws(
      () => doc.hold("merge" as "combine"),
      (e) => e instanceof BokehError && e.code === "BK_ERR_MISUSE",
    )
  })
})
