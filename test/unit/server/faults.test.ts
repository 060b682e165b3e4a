/**
 * Fault isolation inside the server (raw protocol clients over the in-process transport): a failing callback never stops
 * the patch or operation that triggered it, async callbacks are awaited by that operation, and every
 * failure is logged once with its session id. (The process-level part runs `bokeh-ts serve` as a
 * child process: test/unit/command/serve_faults.test.ts.)
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import type { SessionContext } from "../../../src/application/contexts.ts"
import { Column, Div, Slider } from "../../../src/models/main.ts"
import type { Document } from "../../../src/document/document.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { set_log_level, set_log_sink } from "../../../src/util/logging.ts"
import { generate_session_id } from "../../../src/util/token.ts"
import { start_core, type TestServer } from "./helpers.ts"

const destroyed: string[] = []

function faulty(doc: Document): void {
  const a = new Slider({ name: "a", start: 0, end: 100, value: 0 })
  const b = new Slider({ name: "b", start: 0, end: 100, value: 0 })
  const c = new Slider({ name: "c", start: 0, end: 100, value: 0 })
  const out = new Div({ name: "out", text: "" })
  a.on_change("value", function throws_at_once() {
    throw new TypeError("sync on_change failed")
  })
  a.on_change("value", (_attr, _old, v) => {
    out.text = `a=${String(v)}` // the callback after the failing one still runs
  })
  b.on_change("value", async (_attr, _old, v) => {
    await new Promise((resolve) => setImmediate(resolve))
    out.text = `b=${String(v)} after an await`
  })
  c.on_change("value", async (_attr, _old, v) => {
    // Awaited by the locked operation that applied the change: asking for the lock again must not deadlock.
    await (doc.session_context as unknown as SessionContext).with_locked_document(async () => {
      await Promise.resolve()
      out.text = `c=${String(v)} with the lock`
    })
  })
  doc.on_change((event) => {
    if (event.constructor.name === "TitleChangedEvent") throw new Error("document subscriber failed")
  })
  doc.on_session_destroyed(() => {
    throw new Error("first destroy callback failed")
  })
  doc.on_session_destroyed((ctx) => {
    destroyed.push((ctx as { id: string }).id)
  })
  doc.add_root(new Column({ children: [a, b, c, out] }))
}

function ids(doc: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v !== null && typeof v === "object") {
      const o = v as { type?: unknown; id?: unknown; attributes?: { name?: unknown } }
      if (o.type === "object" && typeof o.attributes?.name === "string") out[o.attributes.name] = o.id as string
      Object.values(v).forEach(visit)
    }
  }
  visit(doc)
  return out
}

const texts = (messages: readonly AnyMessage[], id: string): string[] =>
  messages
    .flatMap((m) => (m.header.msgtype === "PATCH-DOC" ? (m.content as { events: Array<Record<string, unknown>> }).events : []))
    .filter((e) => e["kind"] === "ModelChanged" && (e["model"] as { id: string }).id === id && e["attr"] === "text")
    .map((e) => e["new"] as string)

describe("failing callbacks hurt only themselves", () => {
  let server: TestServer
  const lines: string[] = []
  before(async () => {
    set_log_level("error")
    set_log_sink((line) => lines.push(line))
    server = await start_core({ "/faulty": faulty })
  })
  after(async () => {
    await server.stop()
    set_log_level("none")
    set_log_sink((line) => process.stderr.write(`${line}\n`))
  })

  it("a sync on_change that throws: the rest of the patch and the other callbacks still run; ERROR; logged once", async () => {
    const session_id = generate_session_id()
    const c = await server.connect("/faulty", { session_id })
    await c.ack()
    const m = ids(((await c.request("PULL-DOC-REQ", {})).content as { doc: unknown }).doc)
    lines.length = 0
    const reply = await c.request("PATCH-DOC", {
      events: [
        { kind: "ModelChanged", model: { id: m["a"] }, attr: "value", new: 5 },
        { kind: "ModelChanged", model: { id: m["b"] }, attr: "value", new: 7 },
      ],
    })
    assert.equal(reply.header.msgtype, "ERROR")
    assert.match((reply.content as { text: string }).text, /TypeError\("sync on_change failed"\)/)
    const before_reply = c.messages.slice(0, c.messages.indexOf(reply))
    // a's second callback ran, and b (after a in the patch) was applied and its async callback awaited
    // before the reply: its change after the await is in a patch before the ERROR.
    assert.deepEqual(texts(before_reply, m["out"]!), ["a=5", "b=7 after an await"])
    const session = server.core.application_contexts[0]!.get_session(session_id)!
    assert.equal(session.document.get_model_by_id(m["b"]!)?._get("value"), 7)
    const failures = lines.filter((l) => l.includes(`in session '${session_id}'`))
    assert.ok(
      failures.some((l) =>
        /error handling message PATCH-DOC in session '[^']+': on_change\('value'\) callback throws_at_once of Slider\(id="[^"]+"\): TypeError\("sync on_change failed"\)\nTypeError: sync on_change failed\n\s+at throws_at_once \(.*faults\.test\.ts:\d+:\d+\)/.test(
          l,
        ),
      ),
      failures.join("\n---\n"),
    )
    assert.equal(failures.filter((l) => l.includes("sync on_change failed")).length, 1, "logged once")
    // The session goes on.
    const ok = await c.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: m["b"] }, attr: "value", new: 8 }] })
    assert.equal(ok.header.msgtype, "OK")
    assert.ok(texts(c.messages, m["out"]!).includes("b=8 after an await"))
    // A failing Document.on_change subscriber doesn't stop the change reaching the session's peers.
    const other = await server.connect("/faulty", { session_id })
    await other.ack()
    await other.request("PULL-DOC-REQ", {})
    const titled = await c.request("PATCH-DOC", { events: [{ kind: "TitleChanged", title: "renamed" }] })
    assert.equal(titled.header.msgtype, "ERROR")
    await other.wait_for((x) => x.header.msgtype === "PATCH-DOC" && JSON.stringify(x.content).includes("renamed"))
    assert.ok(lines.some((l) => l.includes(`in session '${session_id}': Document.on_change callback`) && l.includes("document subscriber failed")))
    other.close()
    c.close()
  })

  it("an async callback asking for the document lock its own operation holds doesn't deadlock", async () => {
    const c = await server.connect("/faulty")
    await c.ack()
    const m = ids(((await c.request("PULL-DOC-REQ", {})).content as { doc: unknown }).doc)
    const reply = await c.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: m["c"] }, attr: "value", new: 3 }] })
    assert.equal(reply.header.msgtype, "OK")
    assert.deepEqual(texts(c.messages.slice(0, c.messages.indexOf(reply)), m["out"]!), ["c=3 with the lock"])
    c.close()
  })

  it("on_session_destroyed: a failing callback doesn't skip the next; logged with the session", async () => {
    const session_id = generate_session_id()
    const c = await server.connect("/faulty", { session_id })
    await c.ack()
    const app = server.core.application_contexts[0]!
    lines.length = 0
    await app.discard_session(app.get_session(session_id)!)
    assert.ok(destroyed.includes(session_id))
    assert.ok(
      lines.some((l) =>
        l.includes(
          `error destroying session in session '${session_id}': Document.on_session_destroyed callback (anonymous): Error("first destroy callback failed")`,
        ),
      ),
      lines.join("\n"),
    )
    c.close()
  })
})
