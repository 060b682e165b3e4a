/**
 * Backpressure: a client that stops reading costs the server at most its outgoing budget (its patches
 * fold meanwhile), other sessions are not held up, and the client ends up with the same document as
 * the server, by catching up when it reads again or by reconnecting after being closed. Keep-alive
 * pings time out silent peers. Input is handled one message at a time with a bounded queue.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import WebSocket from "ws"

import { stream_app } from "../../fixtures/apps/stream_app.ts"
import { RawClient, start_server } from "./helpers.ts"
import type { Server } from "../../../src/server/server.ts"
import type { ServerConnection } from "../../../src/server/connection.ts"
import type { ServerSession } from "../../../src/server/session.ts"
import { Document } from "../../../src/document/document.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { create_message, message_fragments } from "../../../src/protocol/message.ts"
import { generate_jwt_token, generate_session_id } from "../../../src/util/token.ts"
import { Column, ColumnDataSource, Div } from "../../../src/models/main.ts"

/**
 * Waits until `pred`, a cheap predicate on the server's connection state, holds: that state has no event to
 * wait on, so it is polled. What the client receives is waited on by its messages (`RawClient.until`) instead.
 * The cap only turns a hang into an error.
 */
async function until(pred: () => boolean, what: string, cap_ms = 30_000): Promise<void> {
  const deadline = Date.now() + cap_ms
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

function connection_of(server: Server, session: ServerSession): ServerConnection {
  const found = [...server.core.connections].find((c) => c.session === session)
  assert.ok(found, "a server connection for the session")
  return found
}

/** What the websockets themselves hold unsent (read from ws, independently of the connection's own statistics). */
function max_socket_buffered(server: Server): number {
  const sockets = (server as unknown as { _adapter: { _sockets: Set<WebSocket> } })._adapter._sockets
  return Math.max(0, ...[...sockets].map((ws) => ws.bufferedAmount))
}

function source_of(doc: Document): ColumnDataSource {
  return doc.select_one({ name: "source" }) as ColumnDataSource
}

/** Streams `rows` rows into the session's source as the app's periodic callback would (one locked operation). */
async function stream(session: ServerSession, start: number, rows: number): Promise<void> {
  await session.with_document_locked((doc) => {
    const x = Float64Array.from({ length: rows }, (_, i) => start + i)
    source_of(doc).stream({ x, y: x.map((v) => v * 2) })
  })
}

/** The document a client holds: its pulled document with every PATCH-DOC it received applied in order. */
async function client_document(messages: readonly AnyMessage[]): Promise<Document> {
  const pull = messages.find((m) => m.header.msgtype === "PULL-DOC-REPLY")!
  const doc = Document.from_json((pull.content as { doc: unknown }).doc, pull.buffers)
  for (const m of messages.slice(messages.indexOf(pull) + 1)) if (m.header.msgtype === "PATCH-DOC") await doc.apply_json_patch(m.content, m.buffers)
  return doc
}

function columns(doc: Document): { x: number[]; y: number[] } {
  const data = source_of(doc).data as Record<string, ArrayLike<number>>
  return { x: Array.from(data["x"]!), y: Array.from(data["y"]!) }
}

const BUDGET = 256 * 1024
const ROWS = 16 * 1024 // 2 columns × 8 bytes: 256 KiB a chunk
const CHUNK_MESSAGE = 2 * ROWS * 8 + 4096

describe("backpressure (outgoing budget)", () => {
  let server: Server
  let base: string
  before(async () => {
    server = await start_server(
      { "/stream": stream_app },
      { websocket_max_buffered_bytes: BUDGET, websocket_stall_timeout_milliseconds: 0, keep_alive_milliseconds: 0 },
    )
    base = `http://127.0.0.1:${server.port}`
  })
  after(async () => {
    await server.stop()
  })

  it("a client that stops reading costs at most the budget; others keep getting updates; it catches up to the server's document", async () => {
    const app = server.core.application_contexts[0]!
    const slow_id = generate_session_id()
    const fast_id = generate_session_id()
    const slow = await RawClient.connect(base, "/stream", { session_id: slow_id })
    const fast = await RawClient.connect(base, "/stream", { session_id: fast_id })
    await slow.ack()
    await fast.ack()
    await slow.request("PULL-DOC-REQ", {})
    await fast.request("PULL-DOC-REQ", {})
    const slow_session = app.get_session(slow_id)!
    const fast_session = app.get_session(fast_id)!
    const conn = connection_of(server, slow_session)

    slow.ws.pause() // a suspended laptop: the TCP connection stays, nothing is read
    const chunks = 48 // 12 MiB for the slow session
    let held_unsent = 0
    for (let i = 0; i < chunks; i++) {
      await stream(slow_session, i * ROWS, ROWS)
      await stream(fast_session, i, 1)
      held_unsent = Math.max(held_unsent, max_socket_buffered(server))
    }
    assert.ok(held_unsent <= BUDGET + CHUNK_MESSAGE, `the sockets hold at most the budget plus one message (${held_unsent})`)
    const stats = conn.stats
    assert.ok(stats.coalescing, "the slow connection folds its patches")
    assert.ok(stats.coalesced_events > 0)
    assert.ok(stats.peak_buffered_bytes <= BUDGET + CHUNK_MESSAGE, `buffered at most the budget plus one message (peak ${stats.peak_buffered_bytes})`)
    // The other session got every update, in order, while the slow one was stuck.
    await fast.until(() => fast.messages.filter((m) => m.header.msgtype === "PATCH-DOC").length === chunks)
    assert.deepEqual(columns(await client_document(fast.messages)), columns(fast_session.document))

    slow.ws.resume()
    // A PATCH-DOC goes through the document lock after the catch-up the drain scheduled: its OK proves the client has it.
    const ok = await slow.request("PATCH-DOC", { events: [] }, {})
    assert.equal(ok.header.msgtype, "OK")
    assert.equal(conn.stats.catch_ups, 1)
    const held = await client_document(slow.messages)
    assert.equal(columns(held).x.length, chunks * ROWS)
    assert.deepEqual(columns(held), columns(slow_session.document))
    assert.deepEqual(held.to_json(), slow_session.document.to_json())
    slow.close()
    fast.close()
  })

  it("patches while caught up go out as usual again, and the client keeps matching the server", async () => {
    const app = server.core.application_contexts[0]!
    const id = generate_session_id()
    const c = await RawClient.connect(base, "/stream", { session_id: id })
    await c.ack()
    await c.request("PULL-DOC-REQ", {})
    const session = app.get_session(id)!
    c.ws.pause()
    for (let i = 0; i < 40; i++) await stream(session, i * ROWS, ROWS)
    c.ws.resume()
    await c.request("PATCH-DOC", { events: [] }, {})
    for (let i = 40; i < 45; i++) await stream(session, i * ROWS, 10)
    await session.with_document_locked((doc) => {
      doc.title = "renamed"
    })
    await c.request("PATCH-DOC", { events: [] }, {})
    const held = await client_document(c.messages)
    assert.deepEqual(held.to_json(), session.document.to_json())
    assert.equal(connection_of(server, session).stats.coalescing, false)
    c.close()
  })
})

describe("backpressure (what a folding connection catches up on)", () => {
  it("new models, removed and added roots, title, patches, rollover streams and a model that left: the catch-up makes the client equal the server", async () => {
    const server = await start_server(
      { "/stream": stream_app },
      { websocket_max_buffered_bytes: BUDGET, websocket_stall_timeout_milliseconds: 0, keep_alive_milliseconds: 0 },
    )
    try {
      const base = `http://127.0.0.1:${server.port}`
      const id = generate_session_id()
      const slow = await RawClient.connect(base, "/stream", { session_id: id })
      const other = await RawClient.connect(base, "/stream", { session_id: id })
      await slow.ack()
      await other.ack()
      await slow.request("PULL-DOC-REQ", {})
      await other.request("PULL-DOC-REQ", {})
      const session = server.core.application_contexts[0]!.get_session(id)!
      const conn = connection_of(server, session)
      slow.ws.pause()
      let i = 0
      while (!conn.stats.coalescing) await stream(session, i++ * ROWS, ROWS)
      await session.with_document_locked((doc) => {
        const source = source_of(doc)
        source.patch({ x: [[0, -1]] })
        const column = doc.roots.find((r) => r instanceof Column) as Column
        const fresh = new Div({ name: "fresh", text: "new" })
        column.children = [...column.children, fresh]
        fresh.text = "newer"
        doc.remove_root(column)
        doc.add_root(new Column({ children: [new Div({ name: "in-new-root", text: "a" })] }))
        const gone = new Div({ name: "gone", text: "x" })
        doc.add_root(gone)
        gone.text = "y"
        doc.remove_root(gone)
        doc.title = "changed while folding"
      })
      await session.with_document_locked((doc) => {
        source_of(doc).stream({ x: new Float64Array([1, 2]), y: new Float64Array([3, 4]) }, 100)
        const extra = new ColumnDataSource({ name: "extra", data: { a: [1] } })
        doc.add_root(extra)
        extra.stream({ a: [2, 3] })
      })
      await session.with_document_locked((doc) => {
        ;(doc.select_one({ name: "extra" }) as ColumnDataSource).stream({ a: [4] })
      })
      slow.ws.resume()
      await slow.request("PATCH-DOC", { events: [] }, {})
      await other.request("PATCH-DOC", { events: [] }, {})
      const expected = session.document.to_json()
      assert.deepEqual((await client_document(other.messages)).to_json(), expected)
      assert.deepEqual((await client_document(slow.messages)).to_json(), expected)
      // Afterwards ordinary patches refer to models both clients have.
      await session.with_document_locked((doc) => {
        ;(doc.select_one({ name: "in-new-root" }) as Div).text = "b"
      })
      await slow.request("PATCH-DOC", { events: [] }, {})
      await other.request("PATCH-DOC", { events: [] }, {})
      assert.deepEqual((await client_document(slow.messages)).to_json(), session.document.to_json())
      assert.deepEqual((await client_document(other.messages)).to_json(), session.document.to_json())
      slow.close()
      other.close()
    } finally {
      await server.stop()
    }
  })
})

describe("backpressure (timeouts)", () => {
  it("a client over the budget past the stall timeout is closed with 1013 and a reconnect pulls the whole document", { timeout: 60000 }, async () => {
    const server = await start_server(
      { "/stream": stream_app },
      { websocket_max_buffered_bytes: BUDGET, websocket_stall_timeout_milliseconds: 20, keep_alive_milliseconds: 0 },
    )
    try {
      const base = `http://127.0.0.1:${server.port}`
      const id = generate_session_id()
      const c = await RawClient.connect(base, "/stream", { session_id: id })
      await c.ack()
      await c.request("PULL-DOC-REQ", {})
      const session = server.core.application_contexts[0]!.get_session(id)!
      const conn = connection_of(server, session)
      c.ws.pause()
      let i = 0
      while (!conn.closed) {
        await stream(session, i * ROWS, ROWS)
        i += 1
        if (conn.stats.coalescing) await new Promise((r) => setTimeout(r, 5)) // let the stall timer run
      }
      c.ws.resume()
      const closed = await c.closed
      assert.equal(closed.code, 1013)
      // BokehJS reconnects and pulls the document again: so does this client.
      const again = await RawClient.connect(base, "/stream", { session_id: id })
      await again.ack()
      await again.request("PULL-DOC-REQ", {})
      assert.deepEqual((await client_document(again.messages)).to_json(), session.document.to_json())
      again.close()
    } finally {
      await server.stop()
    }
  })

  it("a peer that never answers keep-alive pings is closed with 4000; one that answers stays", { timeout: 20000 }, async () => {
    // Pings are sent by hand (keep-alive timer off): the test waits on each pong, not on a clock.
    const server = await start_server({ "/stream": stream_app }, { keep_alive_milliseconds: 0 })
    try {
      const base = `http://127.0.0.1:${server.port}`
      const silent_id = generate_session_id()
      const silent = new WebSocket(`${base.replace(/^http/, "ws")}/stream/ws`, ["bokeh", generate_jwt_token(silent_id)], { autoPong: false })
      const closed = new Promise<number>((resolve) => silent.once("close", (code) => resolve(code)))
      const answering_id = generate_session_id()
      const answering = await RawClient.connect(base, "/stream", { session_id: answering_id })
      await answering.ack()
      const app = server.core.application_contexts[0]!
      await until(
        () => app.get_session(silent_id) !== undefined && [...server.core.connections].some((c) => c.session.id === silent_id),
        "the silent peer's connection",
      )
      const quiet = connection_of(server, app.get_session(silent_id)!)
      const talking = connection_of(server, app.get_session(answering_id)!)
      for (let i = 0; i < 3; i++) {
        talking.ping()
        await until(() => !talking.stats.awaiting_pong, "the pong")
      }
      talking.ping()
      assert.equal(talking.closed, false)
      quiet.ping()
      quiet.ping() // the first one is still unanswered
      assert.equal(await closed, 4000)
      assert.equal(answering.ws.readyState, WebSocket.OPEN)
      answering.close()
    } finally {
      await server.stop()
    }
  })
})

describe("bounded input", () => {
  const LIMIT = 4
  // Frames the socket had already read when it was paused still arrive: one read is at most 64 KiB.
  const SLACK = (n_bytes_per_item: number) => Math.ceil(65536 / n_bytes_per_item) + 1

  it("frames sent before the session exists wait in a bounded queue (the socket is paused)", async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    const slow_app = async (doc: Document) => {
      await gate
      stream_app(doc)
    }
    const server = await start_server({ "/slow": slow_app }, { websocket_max_queued_messages: LIMIT, keep_alive_milliseconds: 0 })
    try {
      const base = `http://127.0.0.1:${server.port}`
      const c = new RawClient(`${base.replace(/^http/, "ws")}/slow/ws`, generate_jwt_token(generate_session_id()))
      await c.opened
      const frames = 200_000
      let written = 0
      // Write until the socket pushes back (the server stopped reading), or everything went.
      await new Promise<void>((resolve) => {
        const pump = () => {
          while (written < frames) {
            c.ws.send("x")
            written += 1
            if (c.ws.bufferedAmount > 4 * 1024 * 1024) {
              setTimeout(pump, 1)
              return
            }
          }
          resolve()
        }
        pump()
      })
      await until(() => server.core.peak_pre_session_frames > 0, "frames to be queued")
      // Each "x" frame is 7 bytes on the wire (2 header, 4 mask, 1 payload).
      assert.ok(
        server.core.peak_pre_session_frames <= 3 * LIMIT + SLACK(7),
        `at most the limit plus one socket read (peak ${server.core.peak_pre_session_frames})`,
      )
      release()
      // The first queued frame is not a message header: the connection is closed for it, without crashing anything.
      await c.closed
    } finally {
      release()
      await server.stop()
    }
  })

  it("pipelined requests from a peer that does not read: one is handled at a time, the queue and the buffered replies stay bounded", async () => {
    const server = await start_server(
      { "/stream": stream_app },
      { websocket_max_queued_messages: LIMIT, websocket_max_buffered_bytes: 64 * 1024, keep_alive_milliseconds: 0 },
    )
    try {
      const base = `http://127.0.0.1:${server.port}`
      const id = generate_session_id()
      const c = await RawClient.connect(base, "/stream", { session_id: id })
      await c.ack()
      const session = server.core.application_contexts[0]!.get_session(id)!
      // A document of ~512 KiB, so replies fill the budget fast.
      await stream(session, 0, 32 * 1024)
      const conn = connection_of(server, session)
      await c.request("PULL-DOC-REQ", {})
      c.ws.pause()
      const per_message = [...message_fragments(create_message("SERVER-INFO-REQ", {}))].reduce(
        (n, f) => n + 6 + (typeof f === "string" ? Buffer.byteLength(f) : f.byteLength),
        0,
      )
      // A few requests with large replies fill the budget, then a flood of small ones.
      const pulls = 20
      const count = 5000
      for (let i = 0; i < count; i++)
        for (const f of message_fragments(create_message(i < pulls ? "PULL-DOC-REQ" : "SERVER-INFO-REQ", {}))) c.ws.send(f, { binary: typeof f !== "string" })
      await until(() => conn.stats.reading_paused, "the server to stop reading")
      const stats = conn.stats
      assert.ok(stats.peak_queued_messages <= LIMIT + SLACK(per_message), `queue bounded (peak ${stats.peak_queued_messages})`)
      // A message is sent whole once the socket is under the budget: frame headers are at most 14 bytes for each of its 3 frames.
      assert.ok(
        stats.peak_buffered_bytes <= 64 * 1024 + stats.largest_message_bytes + 3 * 14,
        `replies buffered within the budget plus one message (peak ${stats.peak_buffered_bytes}, largest ${stats.largest_message_bytes})`,
      )
      c.ws.resume()
      // Nothing was dropped: every request gets its reply, in order.
      await c.until(() => c.messages.filter((m) => m.header.reqid !== undefined).length === count + 1)
      assert.equal(c.messages.filter((m) => m.header.msgtype === "PULL-DOC-REPLY").length, pulls + 1)
      c.close()
    } finally {
      await server.stop()
    }
  })
})
