/** The stream benchmark fails loudly when the server streams wrongly: lists, base64, wrong dtype, gaps, ERROR, silence. */
import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, describe, it } from "node:test"

import { WebSocketServer, type WebSocket } from "ws"

import { stream } from "../../../bench/scenarios/stream.ts"
import { BenchFailure } from "../../../bench/lib/types.ts"
import { create_message, message_fragments, type Message, type MessageOptions } from "../../../src/protocol/message.ts"
import type { ContentOf, MsgType } from "../../../src/protocol/msgtypes.ts"
import { Receiver } from "../../../src/protocol/receiver.ts"

type Mode = "good" | "lists" | "base64" | "float32" | "short" | "skip" | "error" | "silent" | "other_model"

const ROWS = 1000
const STREAM_DOC = {
  version: "3.10.0",
  title: "x",
  roots: [{ type: "object", name: "ColumnDataSource", id: "s1", attributes: { name: "stream_source", data: { type: "map" } } }],
}

function send<T extends MsgType>(ws: WebSocket, msgtype: T, content: ContentOf[T], options: MessageOptions = {}): void {
  const m: Message = create_message(msgtype, content, options)
  for (const f of message_fragments(m)) ws.send(f, { binary: typeof f !== "string" })
}

function ndarray(id: string, dtype: string, rows: number): Record<string, unknown> {
  return { type: "ndarray", array: { type: "bytes", data: { id } }, shape: [rows], dtype, order: "little" }
}

/** Tick k of the stream app's contract, encoded the way `mode` (wrongly) does it. */
function patch(ws: WebSocket, mode: Mode, k: number): void {
  const rows = mode === "short" ? ROWS - 1 : ROWS
  const x = Float64Array.from({ length: rows }, (_, i) => k * ROWS + i)
  const y = x.map(Math.sin)
  const bytes = (a: Float64Array | Float32Array): Uint8Array => new Uint8Array(a.buffer)
  const event = (data: unknown): ContentOf["PATCH-DOC"] => ({
    events: [{ kind: "ColumnsStreamed", model: { id: mode === "other_model" ? "s2" : "s1" }, attr: "data", data, rollover: 10_000 }],
  })
  const map = (xr: unknown, yr: unknown): unknown => ({
    type: "map",
    entries: [
      ["x", xr],
      ["y", yr],
    ],
  })
  if (mode === "lists") send(ws, "PATCH-DOC", event(map(Array.from(x), Array.from(y))))
  else if (mode === "base64") {
    const b64 = (a: Float64Array): unknown => ({
      type: "ndarray",
      array: { type: "bytes", data: Buffer.from(a.buffer).toString("base64") },
      shape: [rows],
      dtype: "float64",
      order: "little",
    })
    send(ws, "PATCH-DOC", event(map(b64(x), b64(y))))
  } else if (mode === "float32") {
    send(ws, "PATCH-DOC", event(map(ndarray("0", "float32", rows), ndarray("1", "float32", rows))), {
      buffers: [
        { id: "0", data: bytes(Float32Array.from(x)) },
        { id: "1", data: bytes(Float32Array.from(y)) },
      ],
    })
  } else
    send(ws, "PATCH-DOC", event(map(ndarray("0", "float64", rows), ndarray("1", "float64", rows))), {
      buffers: [
        { id: "0", data: bytes(x) },
        { id: "1", data: bytes(y) },
      ],
    })
}

/** A fake streaming "Bokeh server" that streams (wrongly, per mode) every 20 ms after the pull. */
async function stream_server(mode: Mode): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols: () => "bokeh" })
  const timers: NodeJS.Timeout[] = []
  wss.on("connection", (ws) => {
    const receiver = new Receiver()
    send(ws, "ACK", {})
    ws.on("message", (data, is_binary) => {
      const m = receiver.consume(is_binary ? (data as Buffer) : (data as Buffer).toString("utf8"))
      if (m === null || m.header.msgtype !== "PULL-DOC-REQ") return
      send(ws, "PULL-DOC-REPLY", { doc: STREAM_DOC }, { reqid: m.header.msgid })
      // A gap or an ERROR goes out at once after three good ticks, so the test does not depend on how many
      // timer ticks a loaded machine fits into the run.
      if (mode === "skip" || mode === "error") {
        for (let k = 0; k < 3; k++) patch(ws, mode, k)
        if (mode === "skip") patch(ws, mode, 4)
        else send(ws, "ERROR", { text: "boom: the periodic callback failed", traceback: null })
        return
      }
      let k = 0
      timers.push(
        setInterval(() => {
          if (mode === "silent") return
          patch(ws, mode, k)
          k++
        }, 20),
      )
    })
  })
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()))
  const port = (wss.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/sliders`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t)
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  }
}

describe("bench stream: patches are validated", () => {
  const servers: Array<{ close(): Promise<void> }> = []
  after(async () => {
    for (const s of servers) await s.close()
  })
  const start = async (mode: Mode): Promise<string> => {
    const s = await stream_server(mode)
    servers.push(s)
    return s.url
  }
  const failure = async (mode: Mode): Promise<BenchFailure> => {
    try {
      await stream.run({ target: await start(mode), concurrency: 2, seconds: 0.3, results: [] })
    } catch (error) {
      assert.ok(error instanceof BenchFailure, `expected a BenchFailure, got ${String(error)}`)
      return error
    }
    assert.fail(`the stream run against a "${mode}" server should fail`)
  }

  it("a server streaming the contract as binary float64 passes, its rows counted", async () => {
    const rows = await stream.run({ target: await start("good"), concurrency: 2, seconds: 0.3, results: [] })
    const total = rows.find((r) => r.metric === "rows/s received, 2 sessions")
    assert.ok(total !== undefined && total.value > 0, JSON.stringify(rows))
    const share = rows.find((r) => r.metric === "share of bytes in binary buffers")!
    assert.ok(share.value > 90, `binary share ${share.value}%`)
  })

  it("columns sent as plain lists fail", async () => {
    assert.match((await failure("lists")).message, /column "x": not sent as a binary array \(expected an ndarray rep with a buffer ref\), got \[0,1,2/)
  })

  it("columns sent as inline base64 fail", async () => {
    assert.match((await failure("base64")).message, /column "x": bytes sent inline as base64 .* not as a binary buffer/)
  })

  it("a dtype other than float64 fails", async () => {
    assert.match((await failure("float32")).message, /column "x": dtype "float32", expected "float64"/)
  })

  it("a wrong row count fails", async () => {
    assert.match((await failure("short")).message, /buffer of 7992 bytes, expected 1000 float64 rows/)
  })

  it("a skipped tick (missing patch) fails", async () => {
    assert.match((await failure("skip")).message, /x jumps from 2999 to 4000: 1 tick\(s\) of rows missing/)
  })

  it("a stream on another model fails", async () => {
    assert.match((await failure("other_model")).message, /ColumnsStreamed on \{"id":"s2"\}\."data", expected \{"id":"s1"\}\.data/)
  })

  it("an ERROR while streaming fails with the server's text", async () => {
    assert.match((await failure("error")).message, /sent ERROR "boom: the periodic callback failed" while streaming/)
  })

  it("silence (no patch at all) fails after the gap limit", async () => {
    assert.match((await failure("silent")).message, /no ColumnsStreamed PATCH-DOC for \d+ ms \(limit 2000 ms\): the stream stopped or its patches are missing/)
  })
})
