import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, before, beforeEach, describe, it } from "node:test"

import { WebSocketServer } from "ws"

import { ClientConnection } from "../../../src/client/connection.ts"
import { ClientSession, pull_session, push_session, show_session } from "../../../src/client/session.ts"
import { ErrorReason } from "../../../src/client/states.ts"
import { websocket_url_for_server_url } from "../../../src/client/util.ts"
import { BokehError, ClientError, ProtocolError, UsageError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { Column, ColumnDataSource, Div, Slider } from "../../../src/models/main.ts"
import { create_message, message_fragments } from "../../../src/protocol/message.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { get_session_id } from "../../../src/util/token.ts"
import { Peer } from "./support/peer.ts"
import type { PeerApp, PeerOptions } from "./support/peer.ts"

const decoder = new TextDecoder()

/** The echo app of the recorded Python traffic: slider "in" → div "out"; the args land in div "args". */
const echo: PeerApp = (doc, request) => {
  const slider = new Slider({ name: "in", title: "in", start: 0, end: 1_000_000_000, value: 0 })
  const out = new Div({ name: "out", text: "value: 0" })
  const args = Object.entries(request.arguments).map(([k, vs]) => `${k}=${vs.map((v) => decoder.decode(v)).join("|")}`)
  const shown = new Div({ name: "args", text: args.join(",") })
  slider.on_change("value", (_attr, _old, value) => {
    if (value === 13) throw new Error("unlucky")
    out.text = `value: ${value}`
  })
  doc.add_root(new Column({ children: [slider, out, shown] }))
  doc.title = "Echo"
}

function types(messages: readonly AnyMessage[]): string[] {
  return messages.map((m) => m.header.msgtype)
}

function is_client_error(code: string): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof ClientError, `expected a ClientError, got ${String(e)}`)
    assert.equal((e as ClientError).code, code, (e as Error).message)
    return true
  }
}

async function with_peer<T>(options: PeerOptions, fn: (peer: Peer) => Promise<T>): Promise<T> {
  const peer = await Peer.start(options)
  try {
    return await fn(peer)
  } finally {
    await peer.stop()
  }
}

describe("ClientSession against a protocol peer", () => {
  let peer: Peer
  let intercept: PeerOptions["intercept"]

  before(async () => {
    peer = await Peer.start({ apps: { "/echo": echo }, intercept: (c, m) => intercept?.(c, m) ?? false })
  })
  beforeEach(() => {
    intercept = undefined
    peer.received.length = 0
  })
  after(() => peer.stop())

  it("pulls: subprotocols, arguments, PULL-DOC-REQ metadata, the document", async () => {
    await using session = await pull_session({ url: peer.url("/echo"), arguments: { N: "10", "a b": "x&y" } })
    assert.ok(session.connected)
    assert.equal(session.state, "CONNECTED_AFTER_ACK")
    assert.equal(session.url, websocket_url_for_server_url(peer.url("/echo")))
    const upgrade = peer.upgrades.at(-1)!
    const protocols = String(upgrade["sec-websocket-protocol"])
      .split(",")
      .map((s) => s.trim())
    assert.equal(protocols.length, 2)
    assert.equal(protocols[0], "bokeh")
    assert.equal(get_session_id(protocols[1]!), session.id)
    assert.equal(upgrade.origin, undefined)
    assert.deepEqual(types(peer.received), ["PULL-DOC-REQ"])
    assert.deepEqual(peer.received[0]!.metadata, {})
    const doc = session.document!
    assert.equal(doc.title, "Echo")
    assert.equal((doc.get_model_by_name("args") as Div).text, "N=10,a b=x&y")
    // The app saw them as {k: [bytes]}.
    assert.deepEqual(Object.keys(peer.sessions.get(session.id)!.request.arguments), ["N", "a b"])
  })

  it("keeps the document in sync both ways without echoing", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    const doc = session.document!
    const slider = doc.get_model_by_name("in") as Slider
    const out = doc.get_model_by_name("out") as Div
    slider.value = 42
    await session.force_roundtrip()
    assert.equal(out.text, "value: 42")
    assert.equal((peer.sessions.get(session.id)!.doc.get_model_by_name("in") as Slider).value, 42)
    // The pull sent nothing back; the server's patch (div text) was not echoed.
    assert.deepEqual(types(peer.received), ["PULL-DOC-REQ", "PATCH-DOC", "SERVER-INFO-REQ"])
    assert.deepEqual(peer.received[1]!.content, { events: [{ kind: "ModelChanged", model: { id: slider.id }, attr: "value", new: 42 }] })
  })

  it("coalesces changes made in one tick into one PATCH-DOC, sent before a following request", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    const doc = session.document!
    ;(doc.get_model_by_name("in") as Slider).value = 1
    ;(doc.get_model_by_name("in") as Slider).value = 2
    doc.title = "Renamed"
    await session.force_roundtrip()
    assert.deepEqual(types(peer.received), ["PULL-DOC-REQ", "PATCH-DOC", "SERVER-INFO-REQ"])
    const events = (peer.received[1]!.content as { events: Array<{ kind: string }> }).events
    assert.deepEqual(
      events.map((e) => e.kind),
      ["ModelChanged", "ModelChanged", "TitleChanged"],
    )
    assert.equal(peer.sessions.get(session.id)!.doc.title, "Renamed")
    assert.equal((doc.get_model_by_name("out") as Div).text, "value: 2")
  })

  it("applies patches that arrive while a request is in flight", async () => {
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    await using session = await pull_session({ url: peer.url("/echo") })
    const server_div = peer.sessions.get(session.id)!.doc.get_model_by_name("out") as Div
    let ticks = 0
    const server_doc = peer.sessions.get(session.id)!.doc
    const cb = server_doc.add_periodic_callback(() => {
      ticks += 1
      server_div.text = `tick ${ticks}`
      if (ticks === 3) release()
    }, 2)
    // The server holds its reply until its periodic callback has changed the document three times.
    intercept = async (conn, message) => {
      if (message.header.msgtype !== "SERVER-INFO-REQ") return false
      await released
      server_doc.remove_periodic_callback(cb)
      conn.send(create_message("SERVER-INFO-REPLY", { version_info: { bokeh: "3.10.0", server: "3.10.0" } }, { reqid: message.header.msgid }))
      return true
    }
    let applied_during = 0
    const stop = session.on_patch(() => (applied_during += 1))
    await session.force_roundtrip()
    stop()
    assert.ok(applied_during >= 3, `patches applied during the roundtrip: ${applied_during}`)
    assert.equal((session.document!.get_model_by_name("out") as Div).text, server_div.text)
    assert.equal(server_div.text, `tick ${ticks}`)
  })

  it("reports the server's ERROR to a patch and keeps going", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    const errors: BokehError[] = []
    session.on_error((e) => errors.push(e))
    const slider = session.document!.get_model_by_name("in") as Slider
    slider.value = 13
    await session.force_roundtrip()
    assert.equal(errors.length, 1)
    assert.equal(errors[0]!.code, "BK_ERR_SERVER_ERROR")
    assert.match(errors[0]!.message, /unlucky/)
    slider.value = 14
    await session.force_roundtrip()
    assert.equal((session.document!.get_model_by_name("out") as Div).text, "value: 14")
  })

  it("reports a server patch that can't be applied and keeps going", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    const errors: BokehError[] = []
    session.on_error((e) => errors.push(e))
    const conn = [...peer.sessions.get(session.id)!.connections][0]!
    conn.send(create_message("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: "nope" }, attr: "text", new: "x" }] }))
    await session.force_roundtrip()
    assert.equal(errors.length, 1)
    assert.ok(errors[0] instanceof BokehError)
    assert.ok(session.connected)
  })

  it("pull fails with BK_ERR_SERVER_ERROR when the server answers ERROR", async () => {
    intercept = (conn, message) => {
      if (message.header.msgtype !== "PULL-DOC-REQ") return false
      conn.send(create_message("ERROR", { text: "no doc for you", traceback: null }, { reqid: message.header.msgid }))
      return true
    }
    await assert.rejects(
      pull_session({ url: peer.url("/echo") }),
      (e: unknown) => is_client_error("BK_ERR_SERVER_ERROR")(e) && /Failed to pull document: no doc for you/.test((e as Error).message),
    )
  })

  it("pushes a document, which a second client then pulls by session id", async () => {
    const doc = new Document()
    const div = new Div({ name: "pushed", text: "hello" })
    doc.add_root(div)
    doc.title = "Pushed"
    await using pusher = await push_session(doc, { url: peer.url("/echo") })
    assert.equal(pusher.document, doc)
    // The server's RootRemoved/RootAdded/TitleChanged echo of the push was not applied over ours.
    assert.deepEqual(doc.roots, [div])
    assert.equal(div.document, doc)
    const server = peer.sessions.get(pusher.id)!.doc
    assert.equal(server.title, "Pushed")
    await using puller = await pull_session({ url: peer.url("/echo"), session_id: pusher.id })
    assert.equal((puller.document!.get_model_by_name("pushed") as Div).text, "hello")
    // Changes flow between the two clients through the server.
    div.text = "changed"
    await pusher.force_roundtrip()
    await puller.force_roundtrip()
    assert.equal((puller.document!.get_model_by_name("pushed") as Div).text, "changed")
    await assert.rejects(pusher.push(new Document()), (e: unknown) => e instanceof UsageError && e.code === "BK_ERR_MISUSE")
  })

  it("pushes numeric arrays as binary buffers, as Python's client does", async () => {
    const doc = new Document()
    doc.add_root(new ColumnDataSource({ data: { x: Float64Array.from([1, 2, 3]) } }))
    await using pusher = await push_session(doc, { url: peer.url("/echo") })
    const push = peer.received.find((m) => m.header.msgtype === "PUSH-DOC")!
    assert.equal(push.buffers.size, 1)
    assert.deepEqual(new Float64Array(push.buffers.values().next().value!.slice().buffer), Float64Array.from([1, 2, 3]))
    assert.ok(pusher.connected)
  })

  it("pulling again overwrites the same Document object", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    const doc = session.document!
    const server_doc = peer.sessions.get(session.id)!.doc
    server_doc.title = "Later"
    await session.pull()
    assert.equal(session.document, doc)
    assert.equal(doc.title, "Later")
    assert.deepEqual(types(peer.received), ["PULL-DOC-REQ", "PULL-DOC-REQ"])
  })

  it("caches request_server_info; force_roundtrip always asks", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    assert.deepEqual(await session.request_server_info(), { version_info: { bokeh: "3.10.0", server: "3.10.0" } })
    await session.request_server_info()
    await session.force_roundtrip()
    assert.deepEqual(types(peer.received), ["PULL-DOC-REQ", "SERVER-INFO-REQ", "SERVER-INFO-REQ"])
  })

  it("close(why) sends code 1000 with the reason, flushing queued changes first", async () => {
    const session = await pull_session({ url: peer.url("/echo") })
    ;(session.document!.get_model_by_name("in") as Slider).value = 7
    peer.closes.length = 0
    await session.close("done here")
    assert.equal(session.connected, false)
    assert.equal(session.error_reason, ErrorReason.NO_ERROR)
    await session.loop_until_closed()
    await new Promise<void>((resolve) => setImmediate(resolve))
    assert.deepEqual(peer.closes, [{ code: 1000, reason: "done here" }])
    assert.deepEqual(types(peer.received), ["PULL-DOC-REQ", "PATCH-DOC"])
    await assert.rejects(session.force_roundtrip(), is_client_error("BK_ERR_NOT_CONNECTED"))
  })

  it("the server closing the socket fails pending requests and disconnects", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    intercept = (conn, message) => {
      if (message.header.msgtype !== "SERVER-INFO-REQ") return false
      conn.socket.close(1001, "going away")
      return true
    }
    await assert.rejects(session.force_roundtrip(), is_client_error("BK_ERR_CONNECTION_CLOSED"))
    assert.equal(session.connected, false)
    assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
    assert.equal(session.error_code, 500)
    assert.equal(session.connection.close_code, 1001)
    assert.equal(session.connection.close_reason, "going away")
    await session.loop_until_closed()
    // Local changes after the disconnect go nowhere, silently.
    ;(session.document!.get_model_by_name("in") as Slider).value = 3
  })

  it("opens the session's page with the injected browser controller", async () => {
    await using session = await pull_session({ url: peer.url("/echo") })
    const opened: Array<[string, string]> = []
    const controller = { open: (url: string, o: { new: string }) => void opened.push([url, o.new]) }
    const extra = new Div({ text: "extra" })
    await session.show(extra, null, "window", controller)
    assert.ok(session.document!.roots.includes(extra))
    await show_session({ url: peer.url("/echo"), session_id: "a b/c", controller })
    await show_session({ session, controller })
    assert.deepEqual(opened, [
      [`${peer.url("/echo")}/?bokeh-session-id=${session.id}`, "window"],
      [`${peer.url("/echo")}?bokeh-session-id=a+b%2Fc`, "tab"],
      [`${peer.url("/echo")}/?bokeh-session-id=${session.id}`, "tab"],
    ])
  })
})

describe("ClientSession error states", () => {
  it("server down: BK_ERR_CONNECTION_FAILED, NETWORK_ERROR", async () => {
    const peer = await Peer.start({ apps: {} })
    const url = peer.url("/echo")
    await peer.stop()
    await assert.rejects(pull_session({ url }), is_client_error("BK_ERR_CONNECTION_FAILED"))
    const session = new ClientSession({ websocket_url: websocket_url_for_server_url(url) })
    assert.equal(session.error_code, 0)
    assert.equal(session.error_reason, null)
    assert.throws(() => session.check_connection_errors(), is_client_error("BK_ERR_NOT_CONNECTED"))
    await session.connect()
    assert.equal(session.connected, false)
    assert.equal(session.error_reason, ErrorReason.NETWORK_ERROR)
    assert.equal(session.error_code, null)
    assert.equal(session.error_detail, "Socket invalid.")
    assert.throws(() => session.check_connection_errors(), is_client_error("BK_ERR_CONNECTION_FAILED"))
  })

  it("wrong path: BK_ERR_HTTP 404 'Check your application path'", async () => {
    await with_peer({ apps: { "/echo": echo } }, async (peer) => {
      await assert.rejects(
        pull_session({ url: peer.url("/nope") }),
        (e: unknown) => is_client_error("BK_ERR_HTTP")(e) && /Check your application path/.test((e as Error).message),
      )
      const session = new ClientSession({ websocket_url: websocket_url_for_server_url(peer.url("/nope")) })
      await session.connect()
      assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
      assert.equal(session.error_code, 404)
      assert.equal(session.error_detail, "Not Found")
    })
  })

  it("disallowed origin: BK_ERR_HTTP 403", async () => {
    await with_peer({ apps: { "/echo": echo }, allow_websocket_origin: ["good.example:80"] }, async (peer) => {
      await assert.rejects(
        pull_session({ url: peer.url("/echo"), headers: { Origin: "http://evil.example" } }),
        (e: unknown) => is_client_error("BK_ERR_HTTP")(e) && /403/.test((e as Error).message),
      )
      await using ok = await pull_session({ url: peer.url("/echo"), headers: { Origin: "http://good.example" } })
      assert.ok(ok.connected)
    })
  })

  it("expired token: closed before ACK → BK_ERR_CONNECTION_CLOSED, HTTP_ERROR 500", async () => {
    await with_peer({ apps: { "/echo": echo }, clock_skew: 301 }, async (peer) => {
      const session = new ClientSession({ websocket_url: websocket_url_for_server_url(peer.url("/echo")) })
      await assert.rejects(session.pull(), (e: unknown) => is_client_error("BK_ERR_CONNECTION_CLOSED")(e) && /before ACK/.test((e as Error).message))
      assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
      assert.equal(session.error_code, 500)
      assert.equal(session.error_detail, "Internal server error.")
      assert.equal(session.connection.close_code, 1005)
    })
  })

  it("badly signed token: the server aborts the socket → BK_ERR_CONNECTION_CLOSED", async () => {
    await with_peer({ apps: { "/echo": echo }, sign_sessions: true, secret_key: "server-secret-key-server-secret-key-000000" }, async (peer) => {
      const saved = { sign: process.env["BOKEH_SIGN_SESSIONS"], key: process.env["BOKEH_SECRET_KEY"] }
      process.env["BOKEH_SIGN_SESSIONS"] = "1"
      process.env["BOKEH_SECRET_KEY"] = "some-other-key-some-other-key-some-other-00"
      try {
        const session = new ClientSession({ websocket_url: websocket_url_for_server_url(peer.url("/echo")) })
        assert.ok(session.id.includes("."))
        await assert.rejects(session.pull(), is_client_error("BK_ERR_CONNECTION_CLOSED"))
        assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
        assert.equal(session.connection.close_code, 1006)
        // With the server's key, the same flow works.
        process.env["BOKEH_SECRET_KEY"] = "server-secret-key-server-secret-key-000000"
        await using good = await pull_session({ url: peer.url("/echo") })
        assert.ok(good.connected)
      } finally {
        for (const [name, value] of [
          ["BOKEH_SIGN_SESSIONS", saved.sign],
          ["BOKEH_SECRET_KEY", saved.key],
        ] as const) {
          if (value === undefined) delete process.env[name]
          else process.env[name] = value
        }
      }
    })
  })

  it("a reply larger than max_message_size: BK_ERR_MESSAGE_TOO_BIG, NETWORK_ERROR 1009", async () => {
    const big: PeerApp = (doc) => doc.add_root(new Div({ text: "x".repeat(50_000) }))
    await with_peer({ apps: { "/big": big } }, async (peer) => {
      const session = new ClientSession({ websocket_url: websocket_url_for_server_url(peer.url("/big")), max_message_size: 10_000 })
      await assert.rejects(session.pull(), (e: unknown) => e instanceof ProtocolError && e.code === "BK_ERR_MESSAGE_TOO_BIG")
      assert.equal(session.error_reason, ErrorReason.NETWORK_ERROR)
      assert.equal(session.error_code, 1009)
      await using roomy = await pull_session({ url: peer.url("/big"), max_message_size: 100_000 })
      assert.equal((roomy.document!.roots[0] as Div).text.length, 50_000)
    })
  })

  it("a server that sends something other than ACK first: BK_ERR_PROTOCOL, NETWORK_ERROR", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols: () => "bokeh" })
    await new Promise<void>((resolve) => wss.once("listening", resolve))
    wss.on("connection", (ws) => {
      for (const f of message_fragments(create_message("OK", {}))) ws.send(f)
    })
    try {
      const port = (wss.address() as AddressInfo).port
      const session = new ClientSession({ websocket_url: `ws://127.0.0.1:${port}/ws` })
      await assert.rejects(session.pull(), (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_PROTOCOL" && /instead of ACK/.test(e.message))
      assert.equal(session.error_reason, ErrorReason.NETWORK_ERROR)
    } finally {
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  })

  it("the low-level ClientConnection: connect, pull_doc, force_roundtrip, close, loop_until_closed", async () => {
    await with_peer({ apps: { "/echo": echo } }, async (peer) => {
      const owner = {
        token: new ClientSession().token,
        attached: [] as Document[],
        _handle_patch: async () => {},
        _attach_document(doc: Document) {
          this.attached.push(doc)
        },
        _notify_disconnected: () => {},
      }
      const connection = new ClientConnection(owner, { websocket_url: websocket_url_for_server_url(peer.url("/echo")), arguments: { N: "1" } })
      assert.equal(connection.connected, false)
      assert.equal(connection.error_code, 0)
      assert.equal(connection.error_detail, "")
      await connection.connect()
      assert.ok(connection.connected)
      const doc = new Document()
      await connection.pull_doc(doc)
      assert.equal(doc.title, "Echo")
      assert.deepEqual(owner.attached, [doc])
      await connection.force_roundtrip()
      await connection.close()
      assert.equal(connection.error_reason, ErrorReason.NO_ERROR)
      const never = new ClientConnection(owner, { websocket_url: "ws://127.0.0.1:9/ws" })
      await never.loop_until_closed()
      assert.equal(never.state, "DISCONNECTED")
    })
  })
})
