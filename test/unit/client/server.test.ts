// The client against our real Server (src/server) on 127.0.0.1:0, and the testing helper.
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { ClientSession, pull_session, push_session } from "../../../src/client/session.ts"
import { ErrorReason } from "../../../src/client/states.ts"
import { websocket_url_for_server_url } from "../../../src/client/util.ts"
import { ClientError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { Column, Div, Slider } from "../../../src/models/main.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import type { HTTPRequest } from "../../../src/util/request.ts"
import { Server } from "../../../src/server/server.ts"
import { drive_app } from "../../../src/testing/app_driver.ts"

set_log_level("none")

const decoder = new TextDecoder()

function echo(doc: Document): void {
  const request = (doc.session_context as unknown as { request: HTTPRequest } | null)?.request
  const args = Object.entries(request?.arguments ?? {}).map(([k, vs]) => `${k}=${vs.map((v) => decoder.decode(v)).join("|")}`)
  const slider = new Slider({ name: "in", title: "in", start: 0, end: 100, value: 0 })
  const out = new Div({ name: "out", text: "value: 0" })
  slider.on_change("value", (_a, _o, v) => {
    out.text = `value: ${v}`
  })
  doc.add_root(new Column({ children: [slider, out, new Div({ name: "args", text: args.join(",") })] }))
}

function ticker(doc: Document): void {
  const count = new Div({ name: "count", text: "0" })
  doc.add_root(count)
  doc.add_periodic_callback(() => {
    count.text = String(Number(count.text) + 1)
  }, 5)
}

function code(expected: string): (e: unknown) => boolean {
  return (e) => e instanceof ClientError && e.code === expected
}

describe("client ⇄ bokeh-ts Server", () => {
  let server: Server
  const url = (path: string): string => `http://127.0.0.1:${server.port}${path}`

  before(async () => {
    server = new Server({ "/echo": echo, "/ticker": ticker }, { port: 0, address: "127.0.0.1", allow_websocket_origin: ["good.example:80"] })
    await server.start()
  })
  after(() => server.stop())

  it("arguments reach the app's session_context.request.arguments", async () => {
    await using session = await pull_session({ url: url("/echo"), arguments: { N: "10", q: "a b&c" } })
    assert.equal((session.document!.get_model_by_name("args") as Div).text, "N=10,q=a b&c")
  })

  it("syncs both ways", async () => {
    await using session = await pull_session({ url: url("/echo") })
    ;(session.document!.get_model_by_name("in") as Slider).value = 42
    await session.force_roundtrip()
    assert.equal((session.document!.get_model_by_name("out") as Div).text, "value: 42")
  })

  it("push then pull by session id", async () => {
    const doc = new Document()
    doc.add_root(new Div({ name: "pushed", text: "hello" }))
    await using pusher = await push_session(doc, { url: url("/echo") })
    await using puller = await pull_session({ url: url("/echo"), session_id: pusher.id })
    assert.equal((puller.document!.get_model_by_name("pushed") as Div).text, "hello")
    assert.deepEqual(
      doc.roots.map((r) => (r as Div).name),
      ["pushed"],
    )
  })

  it("the testing helper waits for the server's reaction without sleeps", async () => {
    await using app = await drive_app({ url: url("/echo") })
    app.set("in", { value: 7 })
    await app.until(() => app.get<Div>("out").text === "value: 7")
    await using ticks = await drive_app({ url: url("/ticker") })
    await ticks.until(() => Number(ticks.get<Div>("count").text) >= 3)
    await assert.rejects(
      app.until(() => false, { timeout: 50 }),
      code("BK_ERR_TIMEOUT"),
    )
  })

  // As Python's server does, an upgrade on an unknown path gets 404 (session.test.ts checks the details).
  it("wrong path → BK_ERR_HTTP 404", async () => {
    await assert.rejects(pull_session({ url: url("/nope") }), code("BK_ERR_HTTP"))
  })

  it("disallowed origin → BK_ERR_HTTP 403", async () => {
    const session = new ClientSession({ websocket_url: websocket_url_for_server_url(url("/echo")), headers: { Origin: "http://evil.example" } })
    await assert.rejects(session.pull(), code("BK_ERR_HTTP"))
    assert.equal(session.error_code, 403)
    assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
  })

  it("server stop closes the socket → disconnected, pending requests fail", async () => {
    const local = new Server({ "/echo": echo }, { port: 0, address: "127.0.0.1" })
    await local.start()
    const session = await pull_session({ url: `http://127.0.0.1:${local.port}/echo` })
    const closed = session.loop_until_closed()
    await local.stop()
    await closed
    assert.equal(session.connected, false)
    assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
    await assert.rejects(session.force_roundtrip(), code("BK_ERR_NOT_CONNECTED"))
  })

  it("badly signed token → closed before ACK", async () => {
    const local = new Server({ "/echo": echo }, { port: 0, address: "127.0.0.1", sign_sessions: true, secret_key: "k".repeat(44) })
    await local.start()
    try {
      const session = new ClientSession({ websocket_url: `ws://127.0.0.1:${local.port}/echo/ws`, session_id: "unsigned-id" })
      await assert.rejects(session.pull(), code("BK_ERR_CONNECTION_CLOSED"))
      assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
    } finally {
      await local.stop()
    }
  })
})
