/** The benchmark client fails loudly when the server answers wrongly (ERROR, wrong first message, wrong value, wrong doc). */
import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, describe, it } from "node:test"

import { WebSocketServer, type WebSocket } from "ws"

import { roundtrip } from "../../../bench/scenarios/roundtrip.ts"
import { sessions } from "../../../bench/scenarios/sessions.ts"
import { BenchFailure } from "../../../bench/lib/types.ts"
import { create_message, message_fragments, type Message } from "../../../src/protocol/message.ts"
import type { ContentOf, MsgType } from "../../../src/protocol/msgtypes.ts"
import { Receiver } from "../../../src/protocol/receiver.ts"

type Mode = "error" | "no_ack" | "wrong_value" | "wrong_doc"

const SLIDER_DOC = { version: "3.10.0", title: "x", roots: [{ type: "object", name: "Slider", id: "p1", attributes: { name: "amplitude", value: 1 } }] }

function send<T extends MsgType>(ws: WebSocket, msgtype: T, content: ContentOf[T], reqid?: string): void {
  const m: Message = create_message(msgtype, content, reqid !== undefined ? { reqid } : {})
  for (const f of message_fragments(m)) ws.send(f, { binary: typeof f !== "string" })
}

/** A fake "Bokeh server" that answers wrongly in the given way. */
async function bad_server(mode: Mode): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols: () => "bokeh" })
  wss.on("connection", (ws) => {
    const receiver = new Receiver()
    if (mode === "no_ack") send(ws, "OK", {})
    else send(ws, "ACK", {})
    ws.on("message", (data, is_binary) => {
      const m = receiver.consume(is_binary ? (data as Buffer) : (data as Buffer).toString("utf8"))
      if (m === null) return
      const id = m.header.msgid
      if (m.header.msgtype === "PULL-DOC-REQ") {
        if (mode === "error") send(ws, "ERROR", { text: "boom: the app failed", traceback: null }, id)
        else send(ws, "PULL-DOC-REPLY", { doc: mode === "wrong_doc" ? { ...SLIDER_DOC, roots: [] } : SLIDER_DOC }, id)
      } else if (m.header.msgtype === "PATCH-DOC") {
        send(ws, "PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: "p2" }, attr: "text", new: "amplitude: 999" }] })
        send(ws, "OK", {}, id)
      }
    })
  })
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()))
  const port = (wss.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/sliders`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  }
}

describe("bench: replies are validated", () => {
  const servers: Array<{ close(): Promise<void> }> = []
  after(async () => {
    for (const s of servers) await s.close()
  })
  const run = async (mode: Mode, scenario: typeof sessions): Promise<unknown> => {
    const s = await bad_server(mode)
    servers.push(s)
    try {
      await scenario.run({ target: s.url, concurrency: 1, seconds: 0.2, results: [] })
    } catch (error) {
      return error
    }
    assert.fail(`the ${scenario.name} run against a "${mode}" server should fail`)
  }

  it("sessions: an ERROR reply to PULL-DOC-REQ fails with the server's text", async () => {
    const error = await run("error", sessions)
    assert.ok(error instanceof BenchFailure)
    assert.match(error.message, /sessions: .* answered with ERROR "boom: the app failed" where PULL-DOC-REPLY was expected/)
  })

  it("sessions: a first message other than ACK fails", async () => {
    const error = await run("no_ack", sessions)
    assert.ok(error instanceof BenchFailure)
    assert.match(error.message, /expected ACK as the first message .* got OK/)
  })

  it("sessions: a document without the expected root fails", async () => {
    const error = await run("wrong_doc", sessions)
    assert.ok(error instanceof BenchFailure)
    assert.match(error.message, /has no roots \(expected the sliders app\)/)
  })

  it("roundtrip: a wrong derived value fails, naming expected and actual", async () => {
    const error = await run("wrong_value", roundtrip)
    assert.ok(error instanceof BenchFailure)
    assert.match(error.message, /roundtrip: after setting amplitude=-1, expected a PATCH-DOC with text "amplitude: -1" before OK; got "amplitude: 999"/)
  })
})
