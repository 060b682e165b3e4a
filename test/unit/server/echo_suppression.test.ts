/**
 * Echo suppression (through the in-process transport): a connection never gets back its own changes, and nothing of a
 * patch outlives it. After a PATCH-DOC carrying a UI event (a button click with a server handler),
 * the clicking connection still receives every later server change (here: periodic ticks).
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { click_ticker_app } from "../../fixtures/apps/click_ticker_app.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { generate_session_id } from "../../../src/util/token.ts"
import { model_named, start_core, type TestServer } from "./helpers.ts"

const click = (id: string) => ({
  kind: "MessageSent",
  msg_type: "bokeh_event",
  msg_data: { type: "event", name: "button_click", values: { type: "map", entries: [["model", { id }]] } },
})

/** The ticks text of a PATCH-DOC that changes the ticks div, or null. */
function tick_of(m: AnyMessage, ticks_id: string): string | null {
  if (m.header.msgtype !== "PATCH-DOC") return null
  for (const e of (m.content as { events: Array<Record<string, unknown>> }).events) {
    if (e["kind"] === "ModelChanged" && (e["model"] as { id: string }).id === ticks_id && e["attr"] === "text") return e["new"] as string
  }
  return null
}

describe("echo suppression ends with the patch that set it", () => {
  let server: TestServer
  before(async () => {
    server = await start_core({ "/app": click_ticker_app })
  })
  after(async () => {
    await server.stop()
  })

  it("after a click, the clicking connection keeps receiving periodic patches", async () => {
    const session_id = generate_session_id()
    const clicker = await server.connect("/app", { session_id })
    await clicker.ack()
    const doc = ((await clicker.request("PULL-DOC-REQ", {})).content as { doc: unknown }).doc
    const button = model_named(doc, "button")
    const ticks = model_named(doc, "ticks")
    const ok = await clicker.request("PATCH-DOC", { events: [click(button.id)] })
    assert.equal(ok.header.msgtype, "OK")
    assert.ok(
      clicker.messages.some((m) => m.header.msgtype === "PATCH-DOC" && JSON.stringify(m.content).includes("clicks: 1")),
      "the click handler's change came back before OK",
    )
    // Three ticks after the OK: periodic changes are app changes, and go to every connection.
    const after_ok = clicker.messages.indexOf(ok)
    await clicker.wait_for(
      (m) => clicker.messages.indexOf(m) > after_ok && clicker.messages.slice(after_ok).filter((x) => tick_of(x, ticks.id) !== null).length >= 3,
    )
    clicker.close()
  })

  it("a second connection's click does not silence the first, nor the other way round", async () => {
    const session_id = generate_session_id()
    const a = await server.connect("/app", { session_id })
    const b = await server.connect("/app", { session_id })
    await a.ack()
    await b.ack()
    const doc = ((await a.request("PULL-DOC-REQ", {})).content as { doc: unknown }).doc
    await b.request("PULL-DOC-REQ", {})
    const button = model_named(doc, "button")
    const ticks = model_named(doc, "ticks")
    await a.request("PATCH-DOC", { events: [click(button.id)] })
    const ok = await b.request("PATCH-DOC", { events: [click(button.id)] })
    for (const [name, c] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const from = c === b ? b.messages.indexOf(ok) : a.messages.length
      await c
        .wait_for(() => c.messages.slice(from).filter((x) => tick_of(x, ticks.id) !== null).length >= 2)
        .catch(() => assert.fail(`connection ${name} stopped receiving ticks`))
    }
    a.close()
    b.close()
  })
})
