/**
 * PATCH-DOCs that name inherited keys or carry non-array column data get an ERROR reply, change
 * nothing, are broadcast to no one, and leave the session working (it still pulls and patches).
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import type { Document } from "../../../src/document/document.ts"
import { ColumnDataSource, Slider } from "../../../src/models/main.ts"
import { generate_session_id } from "../../../src/util/token.ts"
import { start_core, type TestServer } from "./helpers.ts"

function app(doc: Document): void {
  doc.add_root(new ColumnDataSource({ id: "src", data: { x: [1, 2, 3], y: [4, 5, 6] } }))
  doc.add_root(new Slider({ id: "sl", start: 0, end: 10, value: 1 }))
}

const map = (entries: Array<[unknown, unknown]>) => ({ type: "map", entries })
const src = { id: "src" }

const hostile: Array<[string, unknown, RegExp]> = [
  [
    "ColumnDataChanged cols [constructor]",
    { kind: "ColumnDataChanged", model: src, attr: "data", data: map([["x", [1]]]), cols: ["constructor"] },
    /BK_ERR_BAD_EVENT/,
  ],
  ["ColumnsPatched constructor", { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["constructor", [[0, "pwned"]]]]) }, /BK_ERR_BAD_PATCH/],
  ["ColumnsPatched isPrototypeOf", { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["isPrototypeOf", [[0, "pwned"]]]]) }, /BK_ERR_BAD_PATCH/],
  [
    "ColumnsStreamed toString",
    {
      kind: "ColumnsStreamed",
      model: src,
      attr: "data",
      data: map([
        ["x", [9]],
        ["toString", [9]],
      ]),
      rollover: null,
    },
    /BK_ERR_BAD_PATCH/,
  ],
  [
    "ColumnDataChanged non-arrays",
    {
      kind: "ColumnDataChanged",
      model: src,
      attr: "data",
      data: map([
        ["x", "notarray"],
        ["y", 5],
      ]),
      cols: null,
    },
    /BK_ERR_INVALID_PROPERTY_VALUE/,
  ],
  [
    "ColumnDataChanged one non-array col",
    { kind: "ColumnDataChanged", model: src, attr: "data", data: map([["y", 5]]), cols: ["y"] },
    /BK_ERR_INVALID_PROPERTY_VALUE/,
  ],
  ["ModelChanged data with a non-array", { kind: "ModelChanged", model: src, attr: "data", new: map([["x", "notarray"]]) }, /BK_ERR_INVALID_PROPERTY_VALUE/],
  [
    "a good event, then one that fails only after an earlier one shortened the data",
    [
      { kind: "ModelChanged", model: { id: "sl" }, attr: "title", new: "partial" },
      {
        kind: "ModelChanged",
        model: src,
        attr: "data",
        new: map([
          ["x", [1]],
          ["y", [1]],
        ]),
      },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["x", [[2, 0]]]]) },
    ],
    /BK_ERR_BAD_PATCH/,
  ],
]

describe("hostile ColumnDataSource patches against a live session", () => {
  let server: TestServer
  before(async () => {
    server = await start_core({ "/app": app })
  })
  after(async () => {
    await server.stop()
  })

  it("each is refused with an ERROR reply, broadcast to no one, and the session keeps working", async () => {
    const session_id = generate_session_id()
    const a = await server.connect("/app", { session_id })
    const b = await server.connect("/app", { session_id })
    await a.ack()
    await b.ack()
    for (const [name, event, code] of hostile) {
      const reply = await a.request("PATCH-DOC", { events: Array.isArray(event) ? event : [event] })
      assert.equal(reply.header.msgtype, "ERROR", name)
      assert.match((reply.content as { text: string }).text, code, name)
    }
    // A good patch afterwards is applied and reaches the other connection: the first PATCH-DOC b sees.
    const ok = await a.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: "sl" }, attr: "value", new: 5 }] })
    assert.equal(ok.header.msgtype, "OK")
    const patch = await b.wait_for((m) => m.header.msgtype === "PATCH-DOC")
    assert.match(JSON.stringify(patch.content), /"attr":"value","new":5/)
    assert.equal(b.messages.filter((m) => m.header.msgtype === "PATCH-DOC").length, 1)
    for (const c of [a, b]) {
      const pulled = JSON.stringify((await c.request("PULL-DOC-REQ", {})).content)
      assert.match(pulled, /\["x",\{"type":"ndarray","array":\[1,2,3\]|\["x",\[1,2,3\]\]/)
      assert.match(pulled, /\["y",\{"type":"ndarray","array":\[4,5,6\]|\["y",\[4,5,6\]\]/)
      assert.doesNotMatch(pulled, /pwned|notarray|toString|constructor|partial/)
    }
    assert.deepEqual(Object.keys(Object), [])
    a.close()
    b.close()
  })
})
