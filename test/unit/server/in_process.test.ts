/**
 * The core's in-process websocket (src/server/in_process.ts): the production server core behind it, no
 * TCP. Frames keep their order both ways, upgrades are refused as the node adapter refuses them, and
 * closes (either side, with or without a code, or an abort) reach both ends.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Application } from "../../../src/application/application.ts"
import { ClientSession } from "../../../src/client/session.ts"
import type { Document } from "../../../src/document/document.ts"
import { Div, Slider } from "../../../src/models/main.ts"
import { create_message, message_fragments, type AnyMessage } from "../../../src/protocol/message.ts"
import { Receiver } from "../../../src/protocol/receiver.ts"
import { BokehServerCore } from "../../../src/server/core.ts"
import { connect_in_process, type InProcessWebSocket } from "../../../src/server/in_process.ts"
import type { ServerOptions } from "../../../src/server/options.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { generate_jwt_token, generate_session_id } from "../../../src/util/token.ts"

set_log_level((process.env["BOKEH_TEST_LOG"] as "info" | undefined) ?? "none")

function app(doc: Document): void {
  const slider = new Slider({ name: "slider", start: 0, end: 10, value: 1 })
  const out = new Div({ name: "out", text: "" })
  slider.on_change("value", (_a, _o, v) => {
    out.text = `value=${String(v)}`
  })
  doc.add_root(slider)
  doc.add_root(out)
}

async function core_for(options: ServerOptions = {}, origins: string[] = []): Promise<BokehServerCore> {
  const core = new BokehServerCore(
    { "/app": new Application(app) },
    { keep_alive_milliseconds: 0, sign_sessions: false, secret_key: null, ...options },
    origins,
  )
  await core.start()
  return core
}

interface Ended {
  code: number
  reason: string
}

/** A raw protocol peer on an in-process socket: decoded messages, and how it ended. */
function raw(socket: InProcessWebSocket) {
  const receiver = new Receiver()
  const messages: AnyMessage[] = []
  const waiters: Array<() => void> = []
  const ended = new Promise<Ended>((resolve) => socket.on("close", (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })))
  socket.on("message", (data: Buffer, is_binary: boolean) => {
    const m = receiver.consume(is_binary ? data : data.toString("utf8"))
    if (m !== null) messages.push(m)
    for (const w of waiters.splice(0)) w()
  })
  const wait_for = async (n: number): Promise<void> => {
    while (messages.length < n) await new Promise<void>((resolve) => waiters.push(resolve))
  }
  const send = (msgtype: "PULL-DOC-REQ" | "SERVER-INFO-REQ") => {
    const m = create_message(msgtype, {})
    for (const f of message_fragments(m)) socket.send(f)
    return m.header.msgid
  }
  return { messages, ended, wait_for, send }
}

const token = () => generate_jwt_token(generate_session_id(), { signed: false, secret_key: null })

describe("in-process websocket into the server core", () => {
  it("a ClientSession over it pulls the document and its changes run the server's callbacks", async () => {
    const core = await core_for()
    const session = new ClientSession({
      websocket_url: "ws://localhost/app/ws",
      open_socket: (o) => connect_in_process(core, { url: o.url, protocols: ["bokeh", o.token], headers: o.headers ?? {} }),
    })
    await session.pull()
    const doc = session.document!
    ;(doc.get_model_by_name("slider") as Slider).value = 7
    await session.force_roundtrip()
    assert.equal((doc.get_model_by_name("out") as Div).text, "value=7")
    assert.equal(core.connections.size, 1)
    await session.close()
    assert.equal(core.connections.size, 0)
    await core.stop()
  })

  it("frames keep their order both ways: ACK first, then the replies in request order", async () => {
    const core = await core_for()
    const socket = connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", token()] })
    const peer = raw(socket)
    await new Promise((resolve) => socket.once("open", resolve))
    // Sent before the session exists: they wait, and are handled in order after ACK.
    const ids = [peer.send("SERVER-INFO-REQ"), peer.send("PULL-DOC-REQ"), peer.send("SERVER-INFO-REQ")]
    await peer.wait_for(4)
    assert.deepEqual(
      peer.messages.map((m) => m.header.msgtype),
      ["ACK", "SERVER-INFO-REPLY", "PULL-DOC-REPLY", "SERVER-INFO-REPLY"],
    )
    assert.deepEqual(
      peer.messages.slice(1).map((m) => m.header.reqid),
      ids,
    )
    socket.close(1000, "bye")
    assert.deepEqual(await peer.ended, { code: 1000, reason: "bye" })
    await core.stop()
  })

  it("a server close reaches the client with its code and reason, after what was sent before it", async () => {
    const core = await core_for()
    const socket = connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", token()] })
    const peer = raw(socket)
    await peer.wait_for(1)
    await core.stop() // closes every connection with 1001
    assert.deepEqual(await peer.ended, { code: 1001, reason: "server shutting down" })
    assert.equal(socket.readyState, socket.CLOSED)
    socket.send("ignored after close")
  })

  it("token refusals end as Python's do: an empty close frame (1005), or an abort (1006) for a token that can't be decoded", async () => {
    const core = await core_for()
    const no_token = raw(connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", ""] }))
    assert.equal((await no_token.ended).code, 1005)
    const socket = connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", "not-a-token"] })
    let opened = false
    socket.on("open", () => (opened = true))
    const garbage = raw(socket)
    assert.equal((await garbage.ended).code, 1006)
    assert.ok(opened, "the handshake completed before the abort, as over TCP")
    await core.stop()
  })

  it("upgrades are refused as the node adapter refuses them: 404 off an app's /ws, 403 for an origin not allowed", async () => {
    const core = await core_for({}, ["example.com"])
    const status = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) =>
        connect_in_process(core, { url, protocols: ["bokeh", token()], headers }).on("unexpected-response", (_req: unknown, res: { statusCode: number }) =>
          resolve(res.statusCode),
        ),
      )
    assert.equal(await status("/nowhere/ws"), 404)
    assert.equal(await status("/app/ws", { Origin: "http://evil.example" }), 403)
    const ok = connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", token()], headers: { Origin: "http://example.com" } })
    await new Promise((resolve) => ok.once("open", resolve))
    ok.terminate()
    await core.stop()
  })

  it("when the server stops reading (its inbox is full) the client's frames wait, and all are handled in order once it reads again", async () => {
    const core = await core_for({ websocket_max_queued_messages: 1 })
    const socket = connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", token()] })
    const peer = raw(socket)
    await peer.wait_for(1)
    const ids = Array.from({ length: 20 }, () => peer.send("SERVER-INFO-REQ"))
    await peer.wait_for(21)
    assert.deepEqual(
      peer.messages.slice(1).map((m) => m.header.reqid),
      ids,
    )
    const stats = [...core.connections][0]!.stats
    assert.ok(stats.peak_queued_messages <= 2, `peak ${stats.peak_queued_messages}`)
    assert.equal(stats.reading_paused, false)
    socket.close()
    await core.stop()
  })

  it("a frame over the core's maximum message size closes the socket with 1009", async () => {
    const core = await core_for({ websocket_max_message_size: 1000 })
    const socket = connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", token()] })
    const peer = raw(socket)
    await peer.wait_for(1)
    socket.send("x".repeat(2000))
    assert.equal((await peer.ended).code, 1009)
    await core.stop()
  })

  it("terminate drops the connection: both ends see 1006 and the session loses it", async () => {
    const core = await core_for()
    const socket = connect_in_process(core, { url: "/app/ws", protocols: ["bokeh", token()] })
    const peer = raw(socket)
    await peer.wait_for(1)
    assert.equal(core.connections.size, 1)
    socket.terminate()
    assert.equal((await peer.ended).code, 1006)
    assert.equal(core.connections.size, 0)
    await core.stop()
  })
})
