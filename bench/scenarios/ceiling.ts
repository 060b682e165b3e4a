/** ceiling: a bare `ws` echo server in a child process; round trip p50/p99 at c=1, msgs/s at c=16. */
import WebSocket from "ws"

import { start_child_server } from "../lib/child_server.ts"
import { load, summarize } from "../lib/stats.ts"
import { BenchFailure, type Row, type Scenario } from "../lib/types.ts"

async function echo_client(url: string): Promise<(payload: string) => Promise<void>> {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve())
    ws.once("error", reject)
  })
  ;(ws as unknown as { _socket?: { setNoDelay(v: boolean): void } })._socket?.setNoDelay(true)
  let pending: ((data: string) => void) | null = null
  ws.on("message", (data) => pending?.((data as Buffer).toString()))
  return (payload) =>
    new Promise<void>((resolve, reject) => {
      pending = (data) => (data === payload ? resolve() : reject(new BenchFailure(`ceiling: echo returned ${data.slice(0, 40)}`)))
      ws.send(payload)
    })
}

export const ceiling: Scenario = {
  name: "ceiling",
  description: "bare ws echo server (child process, TCP_NODELAY): the transport ceiling",
  targets: "none",
  async run(ctx) {
    const server = await start_child_server("echo_server")
    try {
      const url = `ws://127.0.0.1:${server.port}`
      const payload = JSON.stringify({ msgid: "x".repeat(16), msgtype: "PATCH-DOC" })
      const c1 = await echo_client(url)
      const one = await load(1, ctx.seconds / 2, () => c1(payload))
      const s = summarize(one.latencies)
      const clients = await Promise.all(Array.from({ length: 16 }, () => echo_client(url)))
      const many = await load(16, ctx.seconds / 2, (w) => clients[w]!(payload))
      const rows: Row[] = [
        { scenario: "ceiling", metric: "echo round trip p50, c=1", value: s.p50, unit: "ms" },
        { scenario: "ceiling", metric: "echo round trip p99, c=1", value: s.p99, unit: "ms" },
        { scenario: "ceiling", metric: "echo msgs/s, c=16", value: many.latencies.length / many.elapsed_s, unit: "msg/s" },
      ]
      return rows
    } finally {
      await server.stop()
    }
  },
}
