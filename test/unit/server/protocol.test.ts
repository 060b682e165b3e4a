import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { RawClient, start_server } from "./helpers.ts"
import { TornadoWs } from "../../conformance/tornado_ws.ts"
import type { Server } from "../../../src/server/server.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { generate_jwt_token, generate_session_id } from "../../../src/util/token.ts"

function find_root(doc: any, name: string): any {
  const visit = (v: any): any => {
    if (Array.isArray(v)) {
      for (const x of v) {
        const r = visit(x)
        if (r) return r
      }
      return null
    }
    if (v !== null && typeof v === "object") {
      if (v.type === "object" && v.attributes?.name === name) return v
      for (const x of Object.values(v)) {
        const r = visit(x)
        if (r) return r
      }
    }
    return null
  }
  return visit(doc)
}

describe("server protocol flows (raw ws client)", () => {
  let server: Server
  let base: string
  before(async () => {
    server = await start_server({ "/echo": echo_app })
    base = `http://127.0.0.1:${server.port}`
  })
  after(async () => {
    await server.stop()
  })

  it("ACK, PULL-DOC (binary buffers for every peer, whatever its msgids look like), SERVER-INFO", async () => {
    const c = await RawClient.connect(base, "/echo")
    await c.ack()
    assert.equal(c.messages[0]!.header.msgtype, "ACK")
    for (const msgid of ["1", "p1005", "0123456789ABCDEF0123456789ABCDEF"]) {
      const m = { header: { msgid, msgtype: "PULL-DOC-REQ" }, metadata: {}, content: {}, buffers: new Map() }
      c.send(m as any)
      const reply = await c.wait_for((x) => x.header.reqid === msgid)
      assert.equal(reply.header.msgtype, "PULL-DOC-REPLY")
      const doc = (reply.content as any).doc
      assert.equal(doc.title, "Echo")
      const array = find_root(doc, "source").attributes.data.entries[0][1].array
      assert.equal(array.type, "bytes")
      assert.deepEqual([...reply.buffers.keys()], [array.data.id])
    }
    const info = await c.request("SERVER-INFO-REQ", {})
    assert.equal(info.header.msgtype, "SERVER-INFO-REPLY")
    assert.match((info.content as any).version_info.bokeh, /^3\.10/)
    c.close()
  })

  it("PATCH-DOC runs the callback; its changes come back as ONE PATCH-DOC before OK, without echo", async () => {
    const c = await RawClient.connect(base, "/echo")
    await c.ack()
    const reply = await c.request("PULL-DOC-REQ", {})
    const slider = find_root((reply.content as any).doc, "in")
    const before_count = c.messages.length
    const ok = await c.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: slider.id }, attr: "value", new: 42 }] })
    assert.equal(ok.header.msgtype, "OK")
    const after_msgs = c.messages.slice(before_count)
    const patches = after_msgs.filter((m) => m.header.msgtype === "PATCH-DOC")
    assert.equal(patches.length, 1)
    const events = (patches[0]!.content as any).events
    // the callback sets div.text and replaces source.data: both changes, nothing else
    assert.deepEqual(events.map((e: any) => `${e.kind} ${e.attr}`).sort(), ["ColumnDataChanged data", "ModelChanged text"])
    assert.ok(
      events.every((e: any) => !(e.kind === "ModelChanged" && e.attr === "value")),
      "no echo of the client's own change",
    )
    assert.ok(events.some((e: any) => e.kind === "ModelChanged" && e.new === "value: 42"))
    assert.ok(patches[0]!.buffers.size >= 1, "numeric arrays as binary buffers")
    assert.ok(after_msgs.indexOf(patches[0]!) < after_msgs.indexOf(ok), "patch before OK")
    c.close()
  })

  it("a second connection on the same session gets the change, including the client's own setting", async () => {
    const session_id = generate_session_id()
    const a = await RawClient.connect(base, "/echo", { session_id })
    const b = await RawClient.connect(base, "/echo", { session_id })
    await a.ack()
    await b.ack()
    const doc = (await a.request("PULL-DOC-REQ", {})).content as any
    await b.request("PULL-DOC-REQ", {})
    const slider = find_root(doc.doc, "in")
    await a.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: slider.id }, attr: "value", new: 7 }] })
    const p = await b.wait_for((m) => m.header.msgtype === "PATCH-DOC")
    const events = (p.content as any).events
    assert.ok(events.some((e: any) => e.attr === "value" && e.new === 7))
    assert.ok(events.some((e: any) => e.new === "value: 7"))
    a.close()
    b.close()
  })

  it("models one connection's patch creates reach the other connections in full, not as bare refs", async () => {
    const session_id = generate_session_id()
    const a = await RawClient.connect(base, "/echo", { session_id })
    const b = await RawClient.connect(base, "/echo", { session_id })
    await a.ack()
    await b.ack()
    const doc = ((await a.request("PULL-DOC-REQ", {})).content as any).doc
    await b.request("PULL-DOC-REQ", {})
    const slider = find_root(doc, "in")
    const div = { type: "object", name: "Div", id: "new-root", attributes: { text: "from a" } }
    const tagged = { type: "object", name: "Div", id: "new-tag", attributes: { text: "a tag" } }
    const ok = await a.request("PATCH-DOC", {
      events: [
        { kind: "RootAdded", model: div },
        { kind: "ModelChanged", model: { id: slider.id }, attr: "tags", new: [tagged] },
      ],
    })
    assert.equal(ok.header.msgtype, "OK")
    const p = await b.wait_for((m) => m.header.msgtype === "PATCH-DOC" && JSON.stringify(m.content).includes("RootAdded"))
    const events = (p.content as any).events
    assert.deepEqual(events.find((e: any) => e.kind === "RootAdded").model, div)
    assert.deepEqual(events.find((e: any) => e.attr === "tags").new, [tagged])
    a.close()
    b.close()
  })

  it("button_click reaches the handler; unknown and document events are ignored", async () => {
    const c = await RawClient.connect(base, "/echo")
    await c.ack()
    const doc = ((await c.request("PULL-DOC-REQ", {})).content as any).doc
    const button = find_root(doc, "button")
    const ev = (name: string, values: unknown[][]) => ({
      kind: "MessageSent",
      msg_type: "bokeh_event",
      msg_data: { type: "event", name, values: { type: "map", entries: values } },
    })
    const ok = await c.request("PATCH-DOC", { events: [ev("button_click", [["model", { id: button.id }]])] })
    assert.equal(ok.header.msgtype, "OK")
    await c.wait_for((m) => m.header.msgtype === "PATCH-DOC" && JSON.stringify(m.content).includes("clicks: 1"))
    for (const name of ["document_ready", "client_reconnected", "no_such_event"]) {
      const r = await c.request("PATCH-DOC", { events: [ev(name, [])] })
      assert.equal(r.header.msgtype, "OK", name)
    }
    c.close()
  })

  it("a bad patch gets ERROR and the connection stays usable", async () => {
    const c = await RawClient.connect(base, "/echo")
    await c.ack()
    const r = await c.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: "nope" }, attr: "value", new: 1 }] })
    assert.equal(r.header.msgtype, "ERROR")
    assert.equal(typeof (r.content as any).text, "string")
    const info = await c.request("SERVER-INFO-REQ", {})
    assert.equal(info.header.msgtype, "SERVER-INFO-REPLY")
    c.close()
  })

  it("PUSH-DOC replaces the document; every connection gets the new roots", async () => {
    const session_id = generate_session_id()
    const a = await RawClient.connect(base, "/echo", { session_id })
    const b = await RawClient.connect(base, "/echo", { session_id })
    await a.ack()
    await b.ack()
    await b.request("PULL-DOC-REQ", {})
    const pushed = { version: "3.10.0", title: "Pushed", roots: [{ type: "object", name: "Div", id: "x1", attributes: { text: "pushed" } }] }
    const ok = await a.request("PUSH-DOC", { doc: pushed })
    assert.equal(ok.header.msgtype, "OK")
    await b.wait_for((m) => m.header.msgtype === "PATCH-DOC" && JSON.stringify(m.content).includes("RootAdded"))
    const c = await RawClient.connect(base, "/echo", { session_id })
    await c.ack()
    const pulled = ((await c.request("PULL-DOC-REQ", {})).content as any).doc
    assert.equal(pulled.title, "Pushed")
    assert.equal(pulled.roots.length, 1)
    a.close()
    b.close()
    c.close()
  })

  it("query arguments reach session_context.request.arguments as {name: [bytes]}", async () => {
    const c = await RawClient.connect(base, "/echo", { query: "N=10&N=11&msg=a+b%20c&empty=&bokeh-session-id=zzz" })
    await c.ack()
    const doc = ((await c.request("PULL-DOC-REQ", {})).content as any).doc
    assert.equal(find_root(doc, "args").attributes.text, "N=10|11&msg=a b c&empty=")
    c.close()
  })

  it("malformed frames close with 10000/10001; wrong num_buffers; other sessions unaffected", async () => {
    const good = await RawClient.connect(base, "/echo")
    await good.ack()
    const cases: Array<[Array<string | Buffer>, number]> = [
      [["not json"], 10000],
      [['{"msgid":"1","msgtype":"NOPE"}'], 10000],
      [['{"msgid":"1","msgtype":"PULL-DOC-REQ"}', "nope"], 10001],
      [[Buffer.from([1, 2])], 10001],
      [['{"msgid":"1","msgtype":"PATCH-DOC","num_buffers":1}', "{}", '{"events":[]}', '{"id":"0"}', '{"id":"1"}'], 10001],
      [['{"msgid":"1","msgtype":"ACK"}', "{}", "{}"], 10000],
    ]
    for (const [frames, code] of cases) {
      const c = await RawClient.connect(base, "/echo")
      await c.ack()
      for (const f of frames) c.ws.send(f, { binary: typeof f !== "string" })
      await c.closed
      // Bokeh's close codes are outside RFC 6455, so the ws client reports them as an error.
      assert.match(String(c.ws_error), new RegExp(`invalid status code ${code}`), JSON.stringify(frames))
    }
    const info = await good.request("SERVER-INFO-REQ", {})
    assert.equal(info.header.msgtype, "SERVER-INFO-REPLY")
    good.close()
  })

  it("refused tokens and subprotocols close as Python's server does: empty close frame, or abort", async () => {
    // docs/protocol.md §1.5/§4.4: no close code for subprotocol, token and expiry failures (the client sees
    // 1005); undecodable tokens and bad signatures make Tornado abort (1006). Never an ACK first.
    const expired = generate_jwt_token(generate_session_id(), { now: Math.floor(Date.now() / 1000) - 1000 })
    const no_expiry = Buffer.from(JSON.stringify({ session_id: "abc" })).toString("base64url")
    const cases: Array<[string, RawClient, number]> = [
      ["expired", await RawClient.connect(base, "/echo", { token: expired }), 1005],
      ["no expiry", await RawClient.connect(base, "/echo", { token: no_expiry }), 1005],
      ["undecodable", await RawClient.connect(base, "/echo", { token: "!!!notatoken" }), 1006],
    ]
    const bare = new RawClient(`${base.replace(/^http/, "ws")}/echo/ws`, null, { protocols: [] })
    await bare.opened
    cases.push(["no subprotocol", bare, 1005])
    for (const [what, client, code] of cases) {
      const closed = await client.closed
      assert.deepEqual([closed.code, closed.reason], [code, ""], what)
      assert.deepEqual(client.messages, [], `${what}: no ACK`)
    }
  })

  it("tokens with characters not allowed in a subprotocol get the 101 and are aborted, as Tornado does", async () => {
    // `ws` alone would answer 400; Tornado accepts the upgrade and its token check then aborts (1006).
    for (const token of ['ab"cd', "a b", "ab\u00e9cd", "x;y"]) {
      const request = [
        "GET /echo/ws HTTP/1.1",
        `Host: 127.0.0.1:${server.port}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        `Sec-WebSocket-Protocol: bokeh,${token}`,
      ]
      const { ws, response } = await TornadoWs.open(server.port, request)
      assert.equal(response.status, 101, token)
      assert.deepEqual(response.headers.get("sec-websocket-protocol"), ["bokeh"])
      await ws.ended
      assert.deepEqual(ws.frames, [], `${token}: aborted without a frame`)
    }
  })

  it("control characters in the header get HTTP 400 from the HTTP parser, as from Tornado's", async () => {
    const request = [
      "GET /echo/ws HTTP/1.1",
      `Host: 127.0.0.1:${server.port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Protocol: bokeh,ab\u0001cd",
    ]
    const { response } = await TornadoWs.open(server.port, request)
    assert.equal(response.status, 400)
  })

  it("disallowed origins get HTTP 403; allowed ones connect", async () => {
    await assert.rejects(RawClient.connect(base, "/echo", { headers: { Origin: "http://evil.com" } }), /403/)
    const ok = await RawClient.connect(base, "/echo", { headers: { Origin: `http://localhost:${server.port}` } })
    await ok.ack()
    ok.close()
  })
})

describe("server limits and signing", () => {
  it("oversize messages close with 1009 and a reason", async () => {
    const server = await start_server({ "/echo": echo_app }, { websocket_max_message_size: 1000 })
    const c = await RawClient.connect(`http://127.0.0.1:${server.port}`, "/echo")
    await c.ack()
    c.ws.send("x".repeat(2000))
    const closed = await c.closed
    assert.equal(closed.code, 1009)
    assert.match(closed.reason, /maximum size/)
    await server.stop()
  })

  it("signed sessions: badly signed tokens are refused, good ones accepted", async () => {
    const secret_key = "s".repeat(44)
    const server = await start_server({ "/echo": echo_app }, { sign_sessions: true, secret_key })
    const base = `http://127.0.0.1:${server.port}`
    const unsigned = await RawClient.connect(base, "/echo", { token_options: { signed: false } })
    assert.equal((await unsigned.closed).code, 1006, "a bad signature aborts the connection, as Tornado does")
    const wrong = await RawClient.connect(base, "/echo", {
      token: generate_jwt_token(generate_session_id({ signed: true, secret_key: "x".repeat(44) }), { signed: true, secret_key: "x".repeat(44) }),
    })
    assert.equal((await wrong.closed).code, 1006)
    const id = generate_session_id({ signed: true, secret_key })
    const good = await RawClient.connect(base, "/echo", { token: generate_jwt_token(id, { signed: true, secret_key }) })
    await good.ack()
    good.close()
    const page = await fetch(`${base}/echo?bokeh-session-id=unsigned`)
    assert.equal(page.status, 403)
    await server.stop()
  })

  it("unused sessions expire and run destroy hooks", { timeout: 30_000 }, async (t) => {
    let destroyed = 0
    let on_destroyed: () => void
    const destroyed_once = new Promise<void>((resolve) => {
      on_destroyed = resolve
    })
    const server = await start_server(
      {
        "/echo": (doc) => {
          echo_app(doc)
          doc.on_session_destroyed(() => {
            destroyed += 1
            on_destroyed()
          })
        },
      },
      { check_unused_sessions_milliseconds: 50, unused_session_lifetime_milliseconds: 100 },
    )
    t.after(() => server.stop())
    const c = await RawClient.connect(`http://127.0.0.1:${server.port}`, "/echo")
    await c.ack()
    c.close()
    await c.closed
    await destroyed_once
    assert.equal(destroyed, 1)
    assert.equal(server.core.application_contexts[0]!.sessions.length, 0)
  })
})
void (null as unknown as AnyMessage)
