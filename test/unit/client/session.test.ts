// ClientSession / ClientConnection against the real bokeh-ts Server on 127.0.0.1:0. Where a test needs to
// see the wire, or a server that is slow or misbehaves, the client goes through a relay (support/relay.ts)
// that holds, drops, replaces or injects messages between the two.
import assert from "node:assert/strict"
import { createServer } from "node:net"
import type { AddressInfo } from "node:net"
import { after, before, beforeEach, describe, it } from "node:test"

import { ClientConnection } from "../../../src/client/connection.ts"
import { ClientSession, pull_session, push_session, show_session } from "../../../src/client/session.ts"
import { ErrorReason } from "../../../src/client/states.ts"
import { websocket_url_for_server_url } from "../../../src/client/util.ts"
import { BokehError, ClientError, ProtocolError, UsageError } from "../../../src/core/errors.ts"
import { BOKEHJS_VERSION } from "../../../src/core/version.ts"
import { Document } from "../../../src/document/document.ts"
import { Column, ColumnDataSource, Div, Slider } from "../../../src/models/main.ts"
import { create_message } from "../../../src/protocol/message.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { Server } from "../../../src/server/server.ts"
import { ManualClock } from "../../../src/testing/manual_clock.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import type { RequestArguments } from "../../../src/util/request.ts"
import { generate_jwt_token, get_session_id } from "../../../src/util/token.ts"
import { Relay } from "./support/relay.ts"

set_log_level("none")

const decoder = new TextDecoder()

/** What the echo app's sessions saw as their request arguments, by session id. */
const seen_arguments = new Map<string, RequestArguments>()

/** The echo app of the recorded Python traffic: slider "in" → div "out"; the args land in div "args". */
function echo(doc: Document): void {
  const context = doc.session_context as unknown as { id: string; request: { arguments: RequestArguments } }
  const request_args = context.request.arguments
  seen_arguments.set(context.id, request_args)
  const slider = new Slider({ name: "in", title: "in", start: 0, end: 1_000_000_000, value: 0 })
  const out = new Div({ name: "out", text: "value: 0" })
  const args = Object.entries(request_args).map(([k, vs]) => `${k}=${vs.map((v) => decoder.decode(v)).join("|")}`)
  const shown = new Div({ name: "args", text: args.join(",") })
  slider.on_change("value", (_attr, _old, value) => {
    if (value === 13) throw new Error("unlucky")
    out.text = `value: ${value}`
  })
  doc.add_root(new Column({ children: [slider, out, shown] }))
  doc.title = "Echo"
}

function big(doc: Document): void {
  doc.add_root(new Div({ text: "x".repeat(50_000) }))
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

async function with_server<T>(server: Server, fn: (server: Server) => Promise<T>): Promise<T> {
  await server.start()
  try {
    return await fn(server)
  } finally {
    await server.stop()
  }
}

/** A session whose token expired a second ago (the server checks expiry when the socket opens). */
class ExpiredTokenSession extends ClientSession {
  override get token(): string {
    return generate_jwt_token(this.id, { expiration: -1 })
  }
}

let server: Server
let relay: Relay
const url = (path: string): string => `http://127.0.0.1:${server.port}${path}`

before(async () => {
  server = new Server({ "/echo": echo, "/big": big }, { port: 0, address: "127.0.0.1", allow_websocket_origin: ["good.example:80"] })
  await server.start()
  relay = await Relay.start(server.port)
})
after(async () => {
  await relay.stop()
  await server.stop()
})

describe("ClientSession against the server (through a relay)", () => {
  beforeEach(() => relay.reset())
  const server_doc = (session_id: string): Document => server.get_session("/echo", session_id).document

  it("pulls: subprotocols, arguments, PULL-DOC-REQ metadata, the document", async () => {
    await using session = await pull_session({ url: relay.url("/echo"), arguments: { N: "10", "a b": "x&y" } })
    assert.ok(session.connected)
    assert.equal(session.state, "CONNECTED_AFTER_ACK")
    assert.equal(session.url, websocket_url_for_server_url(relay.url("/echo")))
    const upgrade = relay.upgrades.at(-1)!
    const protocols = String(upgrade["sec-websocket-protocol"])
      .split(",")
      .map((s) => s.trim())
    assert.equal(protocols.length, 2)
    assert.equal(protocols[0], "bokeh")
    assert.equal(get_session_id(protocols[1]!), session.id)
    assert.equal(upgrade.origin, undefined)
    assert.deepEqual(types(relay.received), ["PULL-DOC-REQ"])
    assert.deepEqual(relay.received[0]!.metadata, {})
    const doc = session.document!
    assert.equal(doc.title, "Echo")
    assert.equal((doc.get_model_by_name("args") as Div).text, "N=10,a b=x&y")
    // The app saw them as {k: [bytes]}.
    const seen = seen_arguments.get(session.id)!
    assert.deepEqual(Object.keys(seen), ["N", "a b"])
    assert.ok(seen["N"]![0] instanceof Uint8Array)
  })

  it("keeps the document in sync both ways without echoing", async () => {
    await using session = await pull_session({ url: relay.url("/echo") })
    const doc = session.document!
    const slider = doc.get_model_by_name("in") as Slider
    const out = doc.get_model_by_name("out") as Div
    slider.value = 42
    await session.force_roundtrip()
    assert.equal(out.text, "value: 42")
    assert.equal((server_doc(session.id).get_model_by_name("in") as Slider).value, 42)
    // The pull sent nothing back; the server's patch (div text) was not echoed.
    assert.deepEqual(types(relay.received), ["PULL-DOC-REQ", "PATCH-DOC", "SERVER-INFO-REQ"])
    assert.deepEqual(relay.received[1]!.content, { events: [{ kind: "ModelChanged", model: { id: slider.id }, attr: "value", new: 42 }] })
  })

  it("coalesces changes made in one tick into one PATCH-DOC, sent before a following request", async () => {
    await using session = await pull_session({ url: relay.url("/echo") })
    const doc = session.document!
    ;(doc.get_model_by_name("in") as Slider).value = 1
    ;(doc.get_model_by_name("in") as Slider).value = 2
    doc.title = "Renamed"
    await session.force_roundtrip()
    assert.deepEqual(types(relay.received), ["PULL-DOC-REQ", "PATCH-DOC", "SERVER-INFO-REQ"])
    const events = (relay.received[1]!.content as { events: Array<{ kind: string }> }).events
    assert.deepEqual(
      events.map((e) => e.kind),
      ["ModelChanged", "ModelChanged", "TitleChanged"],
    )
    assert.equal(server_doc(session.id).title, "Renamed")
    assert.equal((doc.get_model_by_name("out") as Div).text, "value: 2")
  })

  it("applies patches that arrive while a request is in flight", async () => {
    // A server whose session callbacks run on a clock the test moves.
    const clock = new ManualClock()
    const ticking = new Server({ "/echo": echo }, { port: 0, address: "127.0.0.1", scheduler: clock })
    await with_server(ticking, async () => {
      const local = await Relay.start(ticking.port)
      try {
        await using session = await pull_session({ url: local.url("/echo") })
        const server_div = ticking.get_session("/echo", session.id).document.get_model_by_name("out") as Div
        let ticks = 0
        ticking.get_session("/echo", session.id).document.add_periodic_callback(() => {
          ticks += 1
          server_div.text = `tick ${ticks}`
        }, 2)
        // The request is held back until the server's periodic callback has changed the document three times.
        let release!: () => void
        const released = new Promise<void>((resolve) => (release = resolve))
        local.to_server = async (message) => {
          if (message.header.msgtype === "SERVER-INFO-REQ") await released
          return undefined
        }
        let answered = false
        let applied_before_reply = 0
        session.on_patch(() => {
          if (!answered) applied_before_reply += 1
        })
        const roundtrip = session.force_roundtrip().then(() => (answered = true))
        await local.until(() => local.received.some((m) => m.header.msgtype === "SERVER-INFO-REQ"))
        await clock.advance(6)
        await local.until(() => local.sent.filter((m) => m.header.msgtype === "PATCH-DOC").length === 3)
        release()
        await roundtrip
        // Patches that arrived while the request was in flight were applied, before its reply resolved it.
        assert.equal(applied_before_reply, 3)
        assert.equal(server_div.text, `tick ${ticks}`)
        assert.equal((session.document!.get_model_by_name("out") as Div).text, "tick 3")
      } finally {
        await local.stop()
      }
    })
  })

  it("reports the server's ERROR to a patch and keeps going", async () => {
    await using session = await pull_session({ url: relay.url("/echo") })
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
    await using session = await pull_session({ url: relay.url("/echo") })
    const errors: BokehError[] = []
    session.on_error((e) => errors.push(e))
    relay.link(session.id).send_to_client(create_message("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: "nope" }, attr: "text", new: "x" }] }))
    await session.force_roundtrip()
    assert.equal(errors.length, 1)
    assert.ok(errors[0] instanceof BokehError)
    assert.ok(session.connected)
  })

  it("pull fails with BK_ERR_SERVER_ERROR when the server answers ERROR", async () => {
    relay.to_client = (message) =>
      message.header.msgtype === "PULL-DOC-REPLY"
        ? create_message("ERROR", { text: "no doc for you", traceback: null }, { reqid: message.header.reqid! })
        : "forward"
    await assert.rejects(
      pull_session({ url: relay.url("/echo") }),
      (e: unknown) => is_client_error("BK_ERR_SERVER_ERROR")(e) && /Failed to pull document: no doc for you/.test((e as Error).message),
    )
  })

  it("pushes a document, which a second client then pulls by session id", async () => {
    const doc = new Document()
    const div = new Div({ name: "pushed", text: "hello" })
    doc.add_root(div)
    doc.title = "Pushed"
    await using pusher = await push_session(doc, { url: relay.url("/echo") })
    assert.equal(pusher.document, doc)
    // The server's RootRemoved/RootAdded/TitleChanged echo of the push was not applied over ours.
    assert.deepEqual(doc.roots, [div])
    assert.equal(div.document, doc)
    assert.equal(server_doc(pusher.id).title, "Pushed")
    await using puller = await pull_session({ url: relay.url("/echo"), session_id: pusher.id })
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
    await using pusher = await push_session(doc, { url: relay.url("/echo") })
    const push = relay.received.find((m) => m.header.msgtype === "PUSH-DOC")!
    assert.equal(push.buffers.size, 1)
    assert.deepEqual(new Float64Array(push.buffers.values().next().value!.slice().buffer), Float64Array.from([1, 2, 3]))
    assert.ok(pusher.connected)
  })

  it("pulling again overwrites the same Document object", async () => {
    await using session = await pull_session({ url: relay.url("/echo") })
    const doc = session.document!
    server_doc(session.id).title = "Later"
    await session.pull()
    assert.equal(session.document, doc)
    assert.equal(doc.title, "Later")
    assert.deepEqual(types(relay.received), ["PULL-DOC-REQ", "PULL-DOC-REQ"])
  })

  it("caches request_server_info; force_roundtrip always asks", async () => {
    await using session = await pull_session({ url: relay.url("/echo") })
    assert.deepEqual(await session.request_server_info(), { version_info: { bokeh: BOKEHJS_VERSION, server: BOKEHJS_VERSION } })
    await session.request_server_info()
    await session.force_roundtrip()
    assert.deepEqual(types(relay.received), ["PULL-DOC-REQ", "SERVER-INFO-REQ", "SERVER-INFO-REQ"])
  })

  it("close(why) sends code 1000 with the reason, flushing queued changes first", async () => {
    const session = await pull_session({ url: relay.url("/echo") })
    ;(session.document!.get_model_by_name("in") as Slider).value = 7
    await session.close("done here")
    assert.equal(session.connected, false)
    assert.equal(session.error_reason, ErrorReason.NO_ERROR)
    await session.loop_until_closed()
    await relay.until(() => relay.closes.length > 0)
    assert.deepEqual(relay.closes, [{ code: 1000, reason: "done here" }])
    assert.deepEqual(types(relay.received), ["PULL-DOC-REQ", "PATCH-DOC"])
    await assert.rejects(session.force_roundtrip(), is_client_error("BK_ERR_NOT_CONNECTED"))
  })

  it("the server closing the socket fails pending requests and disconnects", async () => {
    await using session = await pull_session({ url: relay.url("/echo") })
    // The request never reaches the server, which closes the connection meanwhile.
    relay.to_server = (message) => {
      if (message.header.msgtype !== "SERVER-INFO-REQ") return "forward"
      for (const c of server.core.connections) if (c.session.id === session.id) c.close(1001, "going away")
      return "drop"
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

  it("a server that sends something other than ACK first: BK_ERR_PROTOCOL, NETWORK_ERROR", async () => {
    relay.to_client = (message) => (message.header.msgtype === "ACK" ? create_message("OK", {}) : "forward")
    const session = new ClientSession({ websocket_url: websocket_url_for_server_url(relay.url("/echo")) })
    await assert.rejects(session.pull(), (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_PROTOCOL" && /instead of ACK/.test(e.message))
    assert.equal(session.error_reason, ErrorReason.NETWORK_ERROR)
  })

  it("opens the session's page with the injected browser controller", async () => {
    await using session = await pull_session({ url: relay.url("/echo") })
    const opened: Array<[string, string]> = []
    const controller = { open: (url: string, o: { new: string }) => void opened.push([url, o.new]) }
    const extra = new Div({ text: "extra" })
    await session.show(extra, null, "window", controller)
    assert.ok(session.document!.roots.includes(extra))
    await show_session({ url: relay.url("/echo"), session_id: "a b/c", controller })
    await show_session({ session, controller })
    assert.deepEqual(opened, [
      [`${relay.url("/echo")}/?bokeh-session-id=${session.id}`, "window"],
      [`${relay.url("/echo")}?bokeh-session-id=a+b%2Fc`, "tab"],
      [`${relay.url("/echo")}/?bokeh-session-id=${session.id}`, "tab"],
    ])
  })
})

describe("ClientSession error states", () => {
  it("server down: BK_ERR_CONNECTION_FAILED, NETWORK_ERROR", async () => {
    // A port nobody listens on any more.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const down = `http://127.0.0.1:${port}/echo`
    await assert.rejects(pull_session({ url: down }), is_client_error("BK_ERR_CONNECTION_FAILED"))
    const session = new ClientSession({ websocket_url: websocket_url_for_server_url(down) })
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
    await assert.rejects(
      pull_session({ url: url("/nope") }),
      (e: unknown) => is_client_error("BK_ERR_HTTP")(e) && /Check your application path/.test((e as Error).message),
    )
    const session = new ClientSession({ websocket_url: websocket_url_for_server_url(url("/nope")) })
    await session.connect()
    assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
    assert.equal(session.error_code, 404)
    assert.equal(session.error_detail, "Not Found")
  })

  it("disallowed origin: BK_ERR_HTTP 403", async () => {
    await assert.rejects(
      pull_session({ url: url("/echo"), headers: { Origin: "http://evil.example" } }),
      (e: unknown) => is_client_error("BK_ERR_HTTP")(e) && /403/.test((e as Error).message),
    )
    await using ok = await pull_session({ url: url("/echo"), headers: { Origin: "http://good.example" } })
    assert.ok(ok.connected)
  })

  it("expired token: closed before ACK → BK_ERR_CONNECTION_CLOSED, HTTP_ERROR 500", async () => {
    const session = new ExpiredTokenSession({ websocket_url: websocket_url_for_server_url(url("/echo")) })
    await assert.rejects(session.pull(), (e: unknown) => is_client_error("BK_ERR_CONNECTION_CLOSED")(e) && /before ACK/.test((e as Error).message))
    assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
    assert.equal(session.error_code, 500)
    assert.equal(session.error_detail, "Internal server error.")
    assert.equal(session.connection.close_code, 1005)
  })

  it("badly signed token: the server aborts the socket → BK_ERR_CONNECTION_CLOSED", async () => {
    const server_key = "server-secret-key-server-secret-key-000000"
    const signed = new Server({ "/echo": echo }, { port: 0, address: "127.0.0.1", sign_sessions: true, secret_key: server_key })
    await with_server(signed, async () => {
      const signed_url = `http://127.0.0.1:${signed.port}/echo`
      const saved = { sign: process.env["BOKEH_SIGN_SESSIONS"], key: process.env["BOKEH_SECRET_KEY"] }
      process.env["BOKEH_SIGN_SESSIONS"] = "1"
      process.env["BOKEH_SECRET_KEY"] = "some-other-key-some-other-key-some-other-00"
      try {
        const session = new ClientSession({ websocket_url: websocket_url_for_server_url(signed_url) })
        assert.ok(session.id.includes("."))
        await assert.rejects(session.pull(), is_client_error("BK_ERR_CONNECTION_CLOSED"))
        assert.equal(session.error_reason, ErrorReason.HTTP_ERROR)
        assert.equal(session.connection.close_code, 1006)
        // With the server's key, the same flow works.
        process.env["BOKEH_SECRET_KEY"] = server_key
        await using good = await pull_session({ url: signed_url })
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
    const session = new ClientSession({ websocket_url: websocket_url_for_server_url(url("/big")), max_message_size: 10_000 })
    await assert.rejects(session.pull(), (e: unknown) => e instanceof ProtocolError && e.code === "BK_ERR_MESSAGE_TOO_BIG")
    assert.equal(session.error_reason, ErrorReason.NETWORK_ERROR)
    assert.equal(session.error_code, 1009)
    await using roomy = await pull_session({ url: url("/big"), max_message_size: 100_000 })
    assert.equal((roomy.document!.roots[0] as Div).text.length, 50_000)
  })

  it("the low-level ClientConnection: connect, pull_doc, force_roundtrip, close, loop_until_closed", async () => {
    const owner = {
      token: new ClientSession().token,
      attached: [] as Document[],
      _handle_patch: async () => {},
      _attach_document(doc: Document) {
        this.attached.push(doc)
      },
      _notify_disconnected: () => {},
    }
    const connection = new ClientConnection(owner, { websocket_url: websocket_url_for_server_url(url("/echo")), arguments: { N: "1" } })
    assert.equal(connection.connected, false)
    assert.equal(connection.error_code, 0)
    assert.equal(connection.error_detail, "")
    await connection.connect()
    assert.ok(connection.connected)
    const doc = new Document()
    await connection.pull_doc(doc)
    assert.equal(doc.title, "Echo")
    assert.equal((doc.get_model_by_name("args") as Div).text, "N=1")
    assert.deepEqual(owner.attached, [doc])
    await connection.force_roundtrip()
    await connection.close()
    assert.equal(connection.error_reason, ErrorReason.NO_ERROR)
    const never = new ClientConnection(owner, { websocket_url: "ws://127.0.0.1:9/ws" })
    await never.loop_until_closed()
    assert.equal(never.state, "DISCONNECTED")
  })
})
