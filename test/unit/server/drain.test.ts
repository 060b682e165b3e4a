/**
 * Graceful drain over the raw protocol: a client gets the changes still pending (changes made outside
 * the lock, the answer and changes of a message already being handled) before a 1001 close; while the
 * drain runs, readiness is false and new sessions and websockets get 503; it is bounded by its timeout.
 *
 * The protocol parts run in-process (start_core). On TCP: the slow client (its socket stops reading, which
 * is TCP backpressure), the raw 503 answer to an upgrade on the wire, and the timeout case (the listener closes).
 */
import assert from "node:assert/strict"
import { connect } from "node:net"
import { describe, it } from "node:test"

import { ColumnDataSource, Slider } from "../../../src/models/main.ts"
import { Document } from "../../../src/document/document.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { generate_session_id } from "../../../src/util/token.ts"
import { stream_app } from "../../fixtures/apps/stream_app.ts"
import { RawClient, model_named, start_core, start_server } from "./helpers.ts"

/** A promise and its resolver. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}

/** The raw HTTP answer to a websocket upgrade request (status line and headers included). */
function raw_upgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      )
    })
    let answer = ""
    socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk))
    socket.on("end", () => resolve(answer))
    socket.on("error", reject)
  })
}

function slider_app(doc: Document): void {
  doc.add_root(new Slider({ name: "slider", start: 0, end: 100, value: 1 }))
}

function patched_values(messages: readonly AnyMessage[]): unknown[] {
  return messages
    .filter((m) => m.header.msgtype === "PATCH-DOC")
    .flatMap((m) => (m.content as { events: Array<{ attr?: string; new?: unknown }> }).events.filter((e) => e.attr === "value").map((e) => e.new))
}

describe("graceful drain", () => {
  it("sends changes made outside the lock before closing with 1001", async () => {
    const server = await start_core({ "/app": slider_app })
    const client = await server.connect("/app")
    await client.ack()
    const [session] = server.get_sessions("/app")
    // Outside any locked operation: the server sends it on a later tick, which must come before the close.
    ;(session!.document.select_one({ name: "slider" }) as Slider).value = 42
    const finished = await server.drain(10000)
    const closed = await client.closed
    assert.equal(finished, true)
    assert.deepEqual(closed, { code: 1001, reason: "server is draining: reconnect" })
    assert.deepEqual(patched_values(client.messages), [42])
  })

  it("answers a message already being handled, with its changes, before the close", async () => {
    const started = gate()
    const release = gate()
    const app = (doc: Document) => {
      const slider = new Slider({ name: "slider", start: 0, end: 100, value: 1 })
      const echo = new Slider({ name: "echo", start: 0, end: 100, value: 0 })
      slider.on_change("value", async (_a, _o, value) => {
        started.open()
        await release.promise
        echo.value = value as number
      })
      doc.add_root(slider)
      doc.add_root(echo)
    }
    const server = await start_core({ "/app": app })
    const client = await server.connect("/app")
    await client.ack()
    const reply = await client.request("PULL-DOC-REQ", {})
    const slider = model_named((reply.content as { doc: unknown }).doc, "slider")
    const patch = { events: [{ kind: "ModelChanged", model: { id: slider.id }, attr: "value", new: 9 }] }
    const pending = client.request("PATCH-DOC", patch as never)
    await started.promise
    const drained = server.drain(10000)
    release.open()
    assert.equal((await pending).header.msgtype, "OK")
    assert.equal((await client.closed).code, 1001)
    assert.equal(await drained, true)
    assert.deepEqual(patched_values(client.messages), [9])
  })

  it("sends a slow client what was folded for it before the close, so it ends with the server's document", async () => {
    const budget = 256 * 1024
    const rows = 16 * 1024
    const server = await start_server(
      { "/stream": stream_app },
      { websocket_max_buffered_bytes: budget, websocket_stall_timeout_milliseconds: 0, keep_alive_milliseconds: 0 },
    )
    const id = generate_session_id()
    const slow = await RawClient.connect(`http://127.0.0.1:${server.port}`, "/stream", { session_id: id })
    await slow.ack()
    await slow.request("PULL-DOC-REQ", {})
    const session = server.get_session("/stream", id)
    const connection = [...server.core.connections][0]!
    slow.ws.pause()
    const source = () => session.document.select_one({ name: "source" }) as ColumnDataSource
    for (let i = 0; !connection.stats.coalescing; i++) {
      await session.with_document_locked(() => {
        const x = Float64Array.from({ length: rows }, (_, k) => i * rows + k)
        source().stream({ x, y: x.map((v) => v * 2) })
      })
    }
    await session.with_document_locked((doc) => {
      doc.title = "changed while folding"
    })
    const expected = session.document.to_json()
    const drained = server.drain(10000)
    slow.ws.resume()
    assert.equal((await slow.closed).code, 1001)
    assert.equal(await drained, true)
    const pull = slow.messages.find((m) => m.header.msgtype === "PULL-DOC-REPLY")!
    const held = Document.from_json((pull.content as { doc: unknown }).doc, pull.buffers)
    for (const m of slow.messages.slice(slow.messages.indexOf(pull) + 1))
      if (m.header.msgtype === "PATCH-DOC") await held.apply_json_patch(m.content, m.buffers)
    assert.deepEqual(held.to_json(), expected)
  })

  it("is not ready and refuses new sessions and websockets while it runs", async () => {
    const server = await start_server({ "/app": slider_app }, { health: true, metrics: true })
    const base = `http://127.0.0.1:${server.port}`
    const client = await RawClient.connect(base, "/app")
    await client.ack()
    const [session] = server.get_sessions("/app")
    // Holds the drain at the session-store step.
    const store = gate()
    const flushing = gate()
    server.core.flush_sessions = async () => {
      flushing.open()
      await store.promise
    }
    const drained = server.drain(10000)
    await flushing.promise
    const ready = await fetch(`${base}/readiness`)
    assert.equal(ready.status, 503)
    assert.deepEqual(await ready.json(), { ready: false, draining: true, store: "none" })
    assert.match(await (await fetch(`${base}/metrics`)).text(), /^bokeh_draining 1$/m)
    assert.equal((await fetch(`${base}/liveness`)).status, 200)
    // A new session: refused. The page of the session this server still holds: served.
    assert.equal((await fetch(`${base}/app`)).status, 503)
    assert.equal((await fetch(`${base}/app?bokeh-session-id=${session!.id}`)).status, 200)
    await assert.rejects(RawClient.connect(base, "/app"), /HTTP 503/)
    const upgrade = await raw_upgrade(server.port, "/app/ws")
    assert.match(upgrade, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
    assert.equal(server.get_sessions("/app").length, 1)
    store.open()
    assert.equal((await client.closed).code, 1001)
    assert.equal(await drained, true)
  })

  it("stops when the timeout runs out", async () => {
    const server = await start_server({ "/app": slider_app })
    const client = await RawClient.connect(`http://127.0.0.1:${server.port}`, "/app")
    await client.ack()
    server.core.flush_sessions = () => new Promise<void>(() => {})
    assert.equal(await server.drain(50), false)
    // stop() closed what the drain could not.
    assert.equal((await client.closed).code, 1001)
    assert.equal(server.http_server, null)
  })
})
