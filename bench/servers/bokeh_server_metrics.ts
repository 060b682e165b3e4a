/**
 * Child process: bench/servers/bokeh_server.ts plus an IPC metrics hook for the memory and storm
 * scenarios. Run with --expose-gc and an IPC channel; answers
 * - `{ op: "rss" }` with `{ rss, live }` (bytes, after two forced full GCs; live = V8 heap used + external
 *   memory such as Buffers, which RSS may keep after they were freed),
 * - `{ op: "reset_stall" }` with `{ ok: true }` (resets the event-loop delay histogram),
 * - `{ op: "stall" }` with `{ max_ms, p99_ms }` (event-loop delay since the last reset),
 * - `{ op: "connections" }` with `{ peak_buffered_bytes, buffered_bytes, coalesced_events, catch_ups }`
 *   (the most over all open connections; events and catch-ups summed).
 */
import { monitorEventLoopDelay } from "node:perf_hooks"

import { server } from "./bokeh_server.ts"

const histogram = monitorEventLoopDelay({ resolution: 5 })
histogram.enable()

type Request = { op: "rss" } | { op: "reset_stall" } | { op: "stall" } | { op: "connections" }

process.on("message", (raw: unknown) => {
  const req = raw as Request
  const reply = (v: unknown): void => {
    process.send?.(v)
  }
  switch (req.op) {
    case "rss": {
      const gc = (globalThis as { gc?: () => void }).gc
      if (gc === undefined) throw new Error("bokeh_server_metrics: run with --expose-gc")
      // Two passes with a turn between them, so weakly held/finalized objects are collected too.
      gc()
      setTimeout(() => {
        gc()
        const m = process.memoryUsage()
        reply({ rss: m.rss, live: m.heapUsed + m.external })
      }, 50)
      break
    }
    case "reset_stall":
      histogram.reset()
      reply({ ok: true })
      break
    case "connections": {
      const stats = [...server.core.connections].map((c) => c.stats)
      reply({
        peak_buffered_bytes: Math.max(0, ...stats.map((s) => s.peak_buffered_bytes)),
        buffered_bytes: Math.max(0, ...stats.map((s) => s.buffered_bytes)),
        coalesced_events: stats.reduce((n, s) => n + s.coalesced_events, 0),
        catch_ups: stats.reduce((n, s) => n + s.catch_ups, 0),
      })
      break
    }
    case "stall":
      reply({ max_ms: histogram.max / 1e6, p99_ms: histogram.percentile(99) / 1e6 })
      break
  }
})
