/** Our Node client against Python's own `bokeh serve`: pull, push, patches both ways, UI events, exact decoding. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { pull_session, push_session } from "../../src/client/session.ts"
import { ButtonClick, MenuItemClick } from "../../src/core/bokeh_events.ts"
import { Document } from "../../src/document/document.ts"
import { ModelChangedEvent, type DocumentChangedEvent } from "../../src/document/events.ts"
import { NDArray } from "../../src/core/util/ndarray.ts"
import { Button, Column, ColumnDataSource, Div, Dropdown, Slider } from "../../src/models/main.ts"
import type { ClientSession } from "../../src/client/session.ts"
import { PyAgent, skip, start_python_server, type AppServer } from "./python.ts"

/** Records (model name, attribute) of every change the server applied to the session's document. */
function record_server_changes(session: ClientSession): Array<[string | null, string]> {
  const seen: Array<[string | null, string]> = []
  session.document!.on_change((event: DocumentChangedEvent) => {
    if (event instanceof ModelChangedEvent && event.setter === session.connection)
      seen.push([(event.model as { name?: string | null }).name ?? null, event.attr])
  })
  return seen
}

describe("our Node client against Python's bokeh serve", { skip }, () => {
  let py: PyAgent
  let theirs: AppServer

  before(async () => {
    ;[py, theirs] = await Promise.all([PyAgent.start(), start_python_server(["echo", "widgets", "big"])])
  })
  after(async () => {
    await Promise.all([py?.stop(), theirs?.stop()])
  })

  it("pulls with arguments (non-ASCII too); the app saw them and the title arrives", async () => {
    await using session = await pull_session({ url: theirs.url("echo"), arguments: { N: "10", name: "Zoë ✓ 日本" } })
    const doc = session.document!
    assert.equal(doc.title, "Echo ünïcode")
    assert.deepEqual(JSON.parse((doc.select_one({ name: "args" }) as Div).text as string), { N: ["10"], name: ["Zoë ✓ 日本"] })
  })

  it("two-way patches: our change runs the Python callback, its answer comes back, nothing is echoed", async () => {
    await using session = await pull_session({ url: theirs.url("echo") })
    const seen = record_server_changes(session)
    const slider = session.document!.select_one({ name: "in" }) as Slider
    slider.value = 42
    await session.force_roundtrip()
    assert.equal((session.document!.select_one({ name: "out" }) as Div).text, "value: 42")
    assert.deepEqual(seen, [["out", "text"]])
  })

  it("UI events reach Python callbacks", async () => {
    await using session = await pull_session({ url: theirs.url("echo") })
    const button = session.document!.select_one({ name: "button" }) as Button
    session.document!.send_event(new ButtonClick({ model: button }))
    session.document!.send_event(new ButtonClick({ model: button }))
    await session.force_roundtrip()
    assert.equal((session.document!.select_one({ name: "clicks" }) as Div).text, "clicks: 2 ButtonClick")
    const menu = session.document!.select_one({ name: "menu" }) as Dropdown
    session.document!.send_event(new MenuItemClick({ model: menu, item: "two" }))
    await session.force_roundtrip()
    assert.equal((session.document!.select_one({ name: "clicks" }) as Div).text, "menu: two")
  })

  it("pushes a document that Python then pulls back equal; changes flow both ways afterwards", async () => {
    const doc = new Document()
    const source = new ColumnDataSource({ name: "src", data: { x: new Float64Array([1.5, -2, 1e300]), i: new Int32Array([1, -2, 3]), s: ["é", "✓", ""] } })
    const div = new Div({ name: "div", text: "pushed from Node ✓" })
    doc.add_root(new Column({ name: "col", children: [new Slider({ name: "slider", start: 0, end: 10, value: 2, tags: [source] }), div] }))
    doc.title = "Node push ✓"
    await using session = await push_session(doc, { url: theirs.url("echo") })

    await py.call("client.pull", { name: "pulled", url: theirs.url("echo"), session_id: session.id })
    const differences = await py.call<string[]>("docs.reads_back", { name: "pulled", doc_json: doc.to_json() })
    assert.deepEqual(differences, [])
    const texts = await py.call<Record<string, string>>("client.texts", { name: "pulled" })
    assert.equal(texts["div"], "pushed from Node ✓")

    div.text = "changed in Node"
    await session.force_roundtrip()
    assert.equal(await py.call("client.wait_value", { name: "pulled", model: "div", attr: "text", value: "changed in Node" }), "changed in Node")
    await py.call("client.set_value", { name: "pulled", model: "div", attr: "text", value: "changed in Python ✓" })
    await session.force_roundtrip()
    assert.equal(div.text, "changed in Python ✓")
    await py.call("client.close", { name: "pulled" })
  })

  it("pulls 2 x 1,000,000 float64 points from Python's server as Float64Arrays", async () => {
    await using session = await pull_session({ url: theirs.url("big") })
    const data = (session.document!.select_one({ name: "big" }) as ColumnDataSource).data
    const x = data["x"] as Float64Array
    const y = data["y"] as Float64Array
    assert.ok(x instanceof Float64Array && y instanceof Float64Array)
    assert.deepEqual([x.length, x[1], x[999_999], y[999_999]], [1_000_000, 1 / 7, 999_999 / 7, -999_999 / 7])
  })

  it("decodes a document with every widget and the main glyphs on NumPy data exactly", async () => {
    await using session = await pull_session({ url: theirs.url("widgets") })
    const doc = session.document!
    const { log } = await py.call_logged("client.pull", { name: "widgets", url: theirs.url("widgets"), session_id: session.id })
    assert.deepEqual(log, [])
    // Python reads what our client holds (serialized by us) back as the very document it pulled itself.
    const differences = await py.call<string[]>("docs.reads_back", { name: "widgets", doc_json: doc.to_json() })
    assert.deepEqual(differences, [])
    await py.call("client.close", { name: "widgets" })

    const data = (doc.select_one({ name: "data" }) as ColumnDataSource).data
    const kinds = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v instanceof NDArray ? `NDArray<${v.dtype}>` : v?.constructor.name]))
    assert.deepEqual(kinds, {
      x: "Float64Array",
      y: "Float64Array",
      f32: "Float32Array",
      i8: "Int8Array",
      i16: "Int16Array",
      i32: "Int32Array",
      u8: "Uint8Array",
      u16: "Uint16Array",
      u32: "Uint32Array",
      b: "NDArray<bool>",
      dt: "Float64Array",
      s: "ObjectArray",
      color: "Array",
      w: "Float64Array",
      h: "Float64Array",
      xs: "Array",
      ys: "Array",
    })
    assert.deepEqual(Array.from(data["i8"] as Int8Array), [-4, -3, -2, -1, 0, 1, 2, 3])
    assert.deepEqual(Array.from(data["u32"] as Uint32Array).slice(-1), [3_500_000_000])
    assert.equal((data["dt"] as Float64Array)[1], Date.UTC(2024, 0, 2))
  })
})
