/**
 * A model one connection creates in its PATCH-DOC is new to the session's other connections: they get
 * it in full (found by the protocol fuzzer: they used to get a bare reference they could not resolve).
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { start_core, type TestServer } from "./helpers.ts"
import { Document } from "../../../src/document/document.ts"
import { generate_session_id } from "../../../src/util/token.ts"

describe("models created by one connection's patch", () => {
  let server: TestServer
  before(async () => {
    server = await start_core({ "/echo": echo_app }, { keep_alive_milliseconds: 0 })
  })
  after(async () => {
    await server.stop()
  })

  it("reach the other connections of the session in full, and later patches about them apply there", async () => {
    const session_id = generate_session_id()
    const a = await server.connect("/echo", { session_id })
    const b = await server.connect("/echo", { session_id })
    await a.ack()
    await b.ack()
    await a.request("PULL-DOC-REQ", {})
    const pulled = await b.request("PULL-DOC-REQ", {})
    const held = Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
    const before_count = b.messages.length
    const ok = await a.request("PATCH-DOC", {
      events: [{ kind: "RootAdded", model: { type: "object", name: "Div", id: "made-by-a", attributes: { text: "hi" } } }],
    })
    assert.equal(ok.header.msgtype, "OK")
    await a.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: "made-by-a" }, attr: "text", new: "again" }] })
    await b.request("SERVER-INFO-REQ", {})
    for (const m of b.messages.slice(before_count)) if (m.header.msgtype === "PATCH-DOC") await held.apply_json_patch(m.content, m.buffers)
    const session = server.core.application_contexts[0]!.get_session(session_id)!
    assert.deepEqual(held.to_json(), session.document.to_json())
    a.close()
    b.close()
  })
})

describe("PUSH-DOC reusing ids", () => {
  it("is refused when it would give a model id the session's peers hold another type (they could not decode the replacement)", async () => {
    const server = await start_core({ "/echo": echo_app }, { keep_alive_milliseconds: 0 })
    try {
      const session_id = generate_session_id()
      const a = await server.connect("/echo", { session_id })
      const b = await server.connect("/echo", { session_id })
      await a.ack()
      await b.ack()
      const pulled = await b.request("PULL-DOC-REQ", {})
      const held = Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
      const div_id = (held.select_one({ name: "out" }) as { id: string }).id
      const refused = await a.request("PUSH-DOC", {
        doc: { version: "3.10.0", title: "x", roots: [{ type: "object", name: "Slider", id: div_id, attributes: { start: 0, end: 1, value: 0 } }] },
      })
      assert.equal(refused.header.msgtype, "ERROR")
      const fine = await a.request("PUSH-DOC", {
        doc: { version: "3.10.0", title: "y", roots: [{ type: "object", name: "Div", id: div_id, attributes: { text: "pushed" } }] },
      })
      assert.equal(fine.header.msgtype, "OK")
      await b.request("SERVER-INFO-REQ", {})
      for (const m of b.messages) if (m.header.msgtype === "PATCH-DOC") await held.apply_json_patch(m.content, m.buffers)
      const session = server.core.application_contexts[0]!.get_session(session_id)!
      assert.equal(held.title, "y")
      assert.deepEqual(
        held.roots.map((r) => r.id),
        session.document.roots.map((r) => r.id),
      )
      a.close()
      b.close()
    } finally {
      await server.stop()
    }
  })
})

describe("a reconnecting BokehJS re-sending its roots in full", () => {
  it("leaves newer server state alone: known models' reps are references, as in Python", async () => {
    const server = await start_core({ "/echo": echo_app }, { keep_alive_milliseconds: 0 })
    try {
      const session_id = generate_session_id()
      const a = await server.connect("/echo", { session_id })
      await a.ack()
      // What the re-pull gave the page: slider at 0.
      const pulled = await a.request("PULL-DOC-REQ", {})
      const stale = (pulled.content as { doc: { roots: unknown[] } }).doc.roots
      const slider_id = (Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers).select_one({ name: "in" }) as { id: string }).id
      // The page's own change reached the server before BokehJS re-added its roots in full (after replace_with_json).
      assert.equal((await a.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: slider_id }, attr: "value", new: 7 }] })).header.msgtype, "OK")
      const readd = await a.request(
        "PATCH-DOC",
        { events: stale.map((model) => ({ kind: "RootAdded", model })) },
        { buffers: [...pulled.buffers].map(([id, data]) => ({ id, data })) },
      )
      assert.equal(readd.header.msgtype, "OK")
      const doc = server.core.application_contexts[0]!.get_session(session_id)!.document
      assert.equal((doc.select_one({ name: "in" }) as unknown as { value: unknown }).value, 7)
      assert.equal((doc.select_one({ name: "out" }) as unknown as { text: unknown }).text, "value: 7")
      assert.equal(doc.roots.length, 2)
      a.close()
    } finally {
      await server.stop()
    }
  })
})
