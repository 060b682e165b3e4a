/**
 * A peer setting a Python-precise property (scripts/python_precise.ts) to a value of the wrong type gets an
 * ERROR reply: the value stays, app callbacks don't run, no one else hears of it, and the session keeps
 * working. What BokehJS sends for these widgets is still applied and relayed.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import type { Document } from "../../../src/document/document.ts"
import { DatetimePicker, Slider } from "../../../src/models/main.ts"
import { generate_session_id } from "../../../src/util/token.ts"
import { start_core, type TestServer } from "./helpers.ts"

const seen: unknown[] = []

function app(doc: Document): void {
  const slider = new Slider({ id: "sl", start: 0, end: 10, value: 1 })
  slider.on_change("value", (_attr, _old, value) => {
    seen.push(value)
  })
  doc.add_root(slider)
  doc.add_root(new DatetimePicker({ id: "dt" }))
}

const change = (id: string, attr: string, value: unknown) => ({ events: [{ kind: "ModelChanged", model: { id }, attr, new: value } as const] })

describe("a peer's PATCH-DOC with a wrongly typed Python-precise value", () => {
  let server: TestServer
  before(async () => {
    server = await start_core({ "/app": app })
  })
  after(async () => {
    await server.stop()
  })

  it('Slider.value = "abc" gets an ERROR reply and leaves the value; the session keeps working', async () => {
    const session_id = generate_session_id()
    const a = await server.connect("/app", { session_id })
    const b = await server.connect("/app", { session_id })
    await a.ack()
    await b.ack()
    seen.length = 0

    for (const bad of ["abc", [1, 2], null, true]) {
      const reply = await a.request("PATCH-DOC", change("sl", "value", bad))
      assert.equal(reply.header.msgtype, "ERROR", JSON.stringify(bad))
      assert.match((reply.content as { text: string }).text, /Slider\.value expected a value of kind Float.*BK_ERR_INVALID_PROPERTY_VALUE/)
    }
    assert.deepEqual(seen, [])
    const pulled = (await a.request("PULL-DOC-REQ", {})).content
    assert.match(JSON.stringify(pulled), /"value":1[,}]/)

    // What BokehJS sends is applied, the callback gets a number, and the other connection hears it.
    const ok = await a.request("PATCH-DOC", change("sl", "value", 5))
    assert.equal(ok.header.msgtype, "OK")
    assert.deepEqual(seen, [5])
    const patch = await b.wait_for((m) => m.header.msgtype === "PATCH-DOC")
    assert.match(JSON.stringify(patch.content), /"attr":"value","new":5/)
    assert.equal(b.messages.filter((m) => m.header.msgtype === "PATCH-DOC").length, 1)
    a.close()
    b.close()
  })

  it("BokehJS's DatetimePicker string becomes milliseconds, relayed as Python would send it", async () => {
    const session_id = generate_session_id()
    const a = await server.connect("/app", { session_id })
    const b = await server.connect("/app", { session_id })
    await a.ack()
    await b.ack()
    const ok = await a.request("PATCH-DOC", change("dt", "value", "2024-05-17T10:20:30"))
    assert.equal(ok.header.msgtype, "OK")
    const patch = await b.wait_for((m) => m.header.msgtype === "PATCH-DOC")
    assert.match(JSON.stringify(patch.content), new RegExp(`"attr":"value","new":${Date.UTC(2024, 4, 17, 10, 20, 30)}`))
    const bad = await a.request("PATCH-DOC", change("dt", "value", "next tuesday"))
    assert.equal(bad.header.msgtype, "ERROR")
    a.close()
    b.close()
  })
})
