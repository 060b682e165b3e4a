/**
 * storm: 500 sessions opened at once (open ws → ACK → PULL-DOC, all concurrent) against the sliders-like
 * app; the server's longest event-loop stall (monitorEventLoopDelay inside the server, reset just before
 * the storm, read over IPC) and the session latency percentiles.
 */
import { BokehClient, pull_sliders_doc } from "../lib/bokeh_client.ts"
import { start_metrics_server } from "../lib/metrics_server.ts"
import { now_ms, summarize } from "../lib/stats.ts"
import { BenchFailure, below, type Scenario } from "../lib/types.ts"

const SESSIONS = 500
const TARGET_STALL_MS = 50

export const storm: Scenario = {
  name: "storm",
  description: "500 sessions opened at once (ws → ACK → PULL-DOC concurrently): server's max event-loop stall, session latency",
  targets: "self",
  async run(ctx) {
    if (ctx.target !== undefined)
      throw new BenchFailure("storm: needs the in-process child server (it reports its event-loop delay over IPC); --target is not supported")
    const n = ctx.concurrency ?? SESSIONS
    const server = await start_metrics_server()
    const clients: BokehClient[] = []
    try {
      const warm = await BokehClient.open(server.url, "storm")
      await pull_sliders_doc(warm)
      await warm.close()
      await server.reset_stall()
      const latencies: number[] = []
      const t0 = now_ms()
      await Promise.all(
        Array.from({ length: n }, async () => {
          const start = now_ms()
          const client = await BokehClient.open(server.url, "storm")
          clients.push(client)
          await pull_sliders_doc(client)
          latencies.push(now_ms() - start)
        }),
      )
      const wall = now_ms() - t0
      const stall = await server.stall()
      const s = summarize(latencies)
      return [
        below(
          { scenario: "storm", metric: `server max event-loop stall, ${n} sessions at once`, value: stall.max_ms, unit: "ms" },
          TARGET_STALL_MS + 1e-9,
          `≤ ${TARGET_STALL_MS} ms`,
        ),
        { scenario: "storm", metric: `server event-loop delay p99, ${n} sessions at once`, value: stall.p99_ms, unit: "ms" },
        { scenario: "storm", metric: `session latency p50, ${n} at once`, value: s.p50, unit: "ms" },
        { scenario: "storm", metric: `session latency p99, ${n} at once`, value: s.p99, unit: "ms" },
        { scenario: "storm", metric: `storm wall time, ${n} sessions`, value: wall, unit: "ms" },
      ]
    } finally {
      await Promise.allSettled(clients.map((c) => c.close()))
      await server.stop()
    }
  },
}
