/**
 * The Document API: roots, all_models kept current, lookups and selectors, change events and their
 * setters, model on_event / js_on_change / js_on_event, stream/patch events, periodic callbacks, and
 * validation errors on assignment.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { ButtonClick } from "../../../src/core/bokeh_events.ts"
import { BokehError, ValidationError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import {
  ColumnsPatchedEvent,
  ColumnsStreamedEvent,
  ModelChangedEvent,
  RootAddedEvent,
  RootRemovedEvent,
  type DocumentChangedEvent,
} from "../../../src/document/events.ts"
import { Button, Column, ColumnDataSource, CustomJS, Div, Slider } from "../../../src/models/main.ts"

function collect(doc: Document): DocumentChangedEvent[] {
  const events: DocumentChangedEvent[] = []
  doc.on_change((e) => events.push(e))
  return events
}

const ids = (models: Iterable<{ id: string }>): string[] => [...models].map((m) => m.id).sort()

describe("roots", () => {
  it("add_root, remove_root and clear keep roots and all_models in step, with events", () => {
    const doc = new Document()
    const events = collect(doc)
    const div = new Div({ id: "d", text: "a" })
    const col = new Column({ id: "c", children: [new Slider({ id: "s", start: 0, end: 1, value: 0 })] })
    doc.add_root(div)
    doc.add_root(col)
    doc.add_root(div) // again: no-op
    assert.deepEqual(
      doc.roots.map((r) => r.id),
      ["d", "c"],
    )
    assert.deepEqual(ids(doc.all_models), ["c", "d", "s"])
    assert.equal(div.document, doc)
    doc.remove_root(div)
    assert.deepEqual(
      doc.roots.map((r) => r.id),
      ["c"],
    )
    assert.deepEqual(ids(doc.all_models), ["c", "s"])
    doc.clear()
    assert.deepEqual(doc.roots, [])
    assert.deepEqual(ids(doc.all_models), [])
    assert.deepEqual(
      events.map((e) => e.constructor.name),
      ["RootAddedEvent", "RootAddedEvent", "RootRemovedEvent", "RootRemovedEvent"],
    )
    assert.ok(events[2] instanceof RootRemovedEvent && events[2].model === div)
  })
})

describe("all_models follows references", () => {
  it("a model dropped from a list leaves; a model set into a property joins", () => {
    const doc = new Document()
    const a = new Div({ id: "a" })
    const b = new Div({ id: "b" })
    const col = new Column({ id: "col", children: [a, b] })
    doc.add_root(col)
    assert.deepEqual(ids(doc.all_models), ["a", "b", "col"])
    col.children = [a]
    assert.deepEqual(ids(doc.all_models), ["a", "col"])
    assert.equal(doc.get_model_by_id("b"), null)
    const c = new Div({ id: "c" })
    col.children = [...col.children, c]
    assert.deepEqual(ids(doc.all_models), ["a", "c", "col"])
    assert.equal(doc.get_model_by_id("c"), c)
    assert.equal(c.document, doc)
    // nested: a model inside a new subtree joins with it
    const inner = new Slider({ id: "inner", start: 0, end: 1, value: 0 })
    col.children = [new Column({ id: "sub", children: [inner] })]
    assert.deepEqual(ids(doc.all_models), ["col", "inner", "sub"])
  })
})

describe("lookups", () => {
  function doc3(): Document {
    const doc = new Document()
    doc.add_root(
      new Column({
        id: "col",
        name: "layout",
        children: [
          new Div({ id: "d1", name: "one", tags: ["x"] }),
          new Div({ id: "d2", name: "two", tags: ["x", "y"] }),
          new Slider({ id: "s", name: "one", start: 0, end: 1, value: 0, tags: ["y"] }),
        ],
      }),
    )
    return doc
  }

  it("get_model_by_id and get_model_by_name", () => {
    const doc = doc3()
    assert.equal(doc.get_model_by_id("d2")?.id, "d2")
    assert.equal(doc.get_model_by_id("nope"), null)
    assert.equal(doc.get_model_by_name("two")?.id, "d2")
    assert.equal(doc.get_model_by_name("none"), null)
    assert.throws(() => doc.get_model_by_name("one"), BokehError)
  })

  it("select and select_one by type, name and tags", () => {
    const doc = doc3()
    assert.deepEqual(ids(doc.select({ type: Div })), ["d1", "d2"])
    assert.deepEqual(ids(doc.select({ name: "one" })), ["d1", "s"])
    assert.deepEqual(ids(doc.select({ type: Div, name: "one" })), ["d1"])
    assert.deepEqual(ids(doc.select({ tags: ["y"] })), ["d2", "s"])
    assert.deepEqual(ids(doc.select({ type: Slider, tags: ["x"] })), [])
    assert.equal(doc.select_one({ type: Slider })?.id, "s")
    assert.equal(doc.select_one({ name: "zzz" }), null)
    assert.throws(() => doc.select_one({ type: Div }), BokehError)
    assert.throws(() => doc.select_one({ tags: ["x"] }), BokehError)
  })
})

describe("change events and setters", () => {
  it("a patch applied with setter 'conn' gives events whose setter is 'conn'", async () => {
    const doc = new Document()
    doc.add_root(new Div({ id: "d", text: "a" }))
    const events = collect(doc)
    await doc.apply_json_patch({ events: [{ kind: "ModelChanged", model: { id: "d" }, attr: "text", new: "b" }] }, undefined, "conn")
    assert.equal(events.length, 1)
    const e = events[0]!
    assert.ok(e instanceof ModelChangedEvent)
    assert.equal(e.setter, "conn")
    assert.equal(e.attr, "text")
    assert.equal(e.new_, "b")
    // app code: setter null
    ;(doc.roots[0] as Div).text = "c"
    assert.equal(events.length, 2)
    assert.equal(events[1]!.setter, null)
  })

  it("changes made by a model's on_change callback triggered by a patch have setter null", async () => {
    const doc = new Document()
    const slider = new Slider({ id: "s", start: 0, end: 100, value: 0 })
    const div = new Div({ id: "d", text: "" })
    doc.add_root(slider)
    doc.add_root(div)
    const calls: unknown[][] = []
    slider.on_change("value", (attr, old, value) => {
      calls.push([attr, old, value])
      div.text = `value: ${String(value)}`
    })
    const events = collect(doc)
    await doc.apply_json_patch({ events: [{ kind: "ModelChanged", model: { id: "s" }, attr: "value", new: 42 }] }, undefined, "conn")
    assert.deepEqual(calls, [["value", 0, 42]])
    assert.equal(div.text, "value: 42")
    const changed = events.filter((e): e is ModelChangedEvent => e instanceof ModelChangedEvent)
    assert.deepEqual(
      changed.map((e) => [e.model.id, e.attr, e.setter]),
      [
        ["s", "value", "conn"],
        ["d", "text", null],
      ],
    )
  })

  it("after a patch carrying a UI event, app code's changes have setter null again (async handler too)", async () => {
    // The clicking connection must keep receiving later server changes: nothing may leave the
    // patch's setter behind once the patch and its handlers are done.
    const doc = new Document()
    const button = new Button({ id: "b" })
    const div = new Div({ id: "d", text: "" })
    doc.add_root(button)
    doc.add_root(div)
    button.on_click(async () => {
      await Promise.resolve()
      div.text = "clicked"
    })
    const events = collect(doc)
    const click = {
      kind: "MessageSent",
      msg_type: "bokeh_event",
      msg_data: { type: "event", name: "button_click", values: { type: "map", entries: [["model", { id: "b" }]] } },
    }
    await doc.apply_json_patch({ events: [click] }, undefined, "conn")
    div.text = "later"
    const changed = events.filter((e): e is ModelChangedEvent => e instanceof ModelChangedEvent)
    assert.deepEqual(
      changed.map((e) => [e.new_, e.setter]),
      [
        ["clicked", null],
        ["later", null],
      ],
    )
  })

  it("RootAdded via patch carries the setter", async () => {
    const doc = new Document()
    const events = collect(doc)
    await doc.apply_json_patch(
      { events: [{ kind: "RootAdded", model: { type: "object", name: "Div", id: "n", attributes: { text: "x" } } }] },
      undefined,
      "conn",
    )
    assert.equal(doc.roots[0]?.id, "n")
    assert.ok(events[0] instanceof RootAddedEvent)
    assert.equal(events[0].setter, "conn")
  })
})

describe("model events", () => {
  it("on_event adds the event name to subscribed_events once, and bad names throw", () => {
    const doc = new Document()
    const button = new Button({ id: "b" })
    doc.add_root(button)
    assert.equal(button.subscribed_events.has("button_click"), false)
    const events = collect(doc)
    button.on_event(ButtonClick, () => {})
    assert.ok(button.subscribed_events.has("button_click"))
    assert.equal(events.filter((e) => e instanceof ModelChangedEvent && e.attr === "subscribed_events").length, 1)
    button.on_event("button_click", () => {})
    assert.deepEqual([...button.subscribed_events], ["button_click"])
    assert.equal(events.filter((e) => e instanceof ModelChangedEvent && e.attr === "subscribed_events").length, 1)
    assert.throws(
      () => button.on_event("no_such_event", () => {}),
      (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_BAD_EVENT",
    )
  })

  it("js_on_change and js_on_event record CustomJS callbacks (and CustomJS joins the document)", () => {
    const doc = new Document()
    const slider = new Slider({ id: "s", start: 0, end: 1, value: 0 })
    doc.add_root(slider)
    const cb = new CustomJS({ id: "cb", code: "console.log(1)" })
    slider.js_on_change("value", cb)
    slider.js_on_change("value", cb) // once only
    slider.js_on_change("some_custom", cb)
    assert.deepEqual(Object.keys(slider.js_property_callbacks).sort(), ["change:value", "some_custom"])
    assert.deepEqual(slider.js_property_callbacks["change:value"], [cb])
    assert.equal(doc.get_model_by_id("cb"), cb)
    const cb2 = new CustomJS({ id: "cb2", code: "" })
    slider.js_on_event("button_click", cb2)
    slider.js_on_event(ButtonClick, cb2)
    assert.deepEqual(slider.js_event_callbacks["button_click"], [cb2])
    assert.equal(doc.get_model_by_id("cb2"), cb2)
  })
})

describe("ColumnDataSource.stream and .patch", () => {
  it("emit ColumnsStreamed / ColumnsPatched events and change the data", () => {
    const doc = new Document()
    const source = new ColumnDataSource({ id: "src", data: { x: [1, 2, 3], y: [4, 5, 6] } })
    doc.add_root(source)
    const events = collect(doc)
    source.stream({ x: [7], y: [8] }, 3)
    assert.deepEqual(source.data, { x: [2, 3, 7], y: [5, 6, 8] })
    assert.equal(events.length, 1)
    const s = events[0]!
    assert.ok(s instanceof ColumnsStreamedEvent)
    assert.equal(s.model, source)
    assert.equal(s.rollover, 3)
    assert.deepEqual(s.data, { x: [7], y: [8] })
    source.patch({ x: [[0, 10]] })
    assert.deepEqual(source.data.x, [10, 3, 7])
    assert.equal(events.length, 2)
    const p = events[1]!
    assert.ok(p instanceof ColumnsPatchedEvent)
    assert.deepEqual(p.patches, { x: [[0, 10]] })
    assert.equal(p.setter, null)
  })
})

describe("periodic callbacks", () => {
  it("add and remove; removing twice → BK_ERR_CALLBACK_NOT_FOUND", () => {
    const doc = new Document()
    const cb = doc.add_periodic_callback(() => {}, 1000)
    assert.ok(doc.session_callbacks.has(cb))
    assert.equal(cb.period, 1000)
    doc.remove_periodic_callback(cb)
    assert.equal(doc.session_callbacks.has(cb), false)
    assert.throws(
      () => doc.remove_periodic_callback(cb),
      (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_CALLBACK_NOT_FOUND",
    )
    assert.throws(
      () => doc.add_periodic_callback(() => {}, -1),
      (e: unknown) => e instanceof ValidationError,
    )
  })
})

describe("validation on assignment", () => {
  it("a wrong-kind value throws a ValidationError naming model, property, kind and value", () => {
    const slider = new Slider({ id: "s", start: 0, end: 1, value: 0 })
    let caught: unknown
    try {
      ;(slider as unknown as { start: unknown }).start = "lots"
    } catch (e) {
      caught = e
    }
    assert.ok(caught instanceof ValidationError)
    assert.equal(caught.code, "BK_ERR_INVALID_PROPERTY_VALUE")
    assert.match(caught.message, /Slider/)
    assert.match(caught.message, /start/)
    assert.match(caught.message, /Float/)
    assert.match(caught.message, /"lots"/)
    assert.equal(slider.start, 0)
  })
})
