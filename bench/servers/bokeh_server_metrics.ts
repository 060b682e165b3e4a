/**
 * Child process: bench/servers/bokeh_server.ts plus an IPC metrics hook for the memory and storm
 * scenarios. Run with --expose-gc and an IPC channel; answers
 * - `{ op: "rss" }` with `{ rss }` (bytes, after two forced full GCs),
 * - `{ op: "reset_stall" }` with `{ ok: true }` (resets the event-loop delay histogram),
 * - `{ op: "stall" }` with `{ max_ms, p99_ms }` (event-loop delay since the last reset).
 */
import { monitorEventLoopDelay } from "node:perf_hooks"

import "./bokeh_server.ts"

const histogram = monitorEventLoopDelay({ resolution: 5 })
histogram.enable()

type Request = { op: "rss" } | { op: "reset_stall" } | { op: "stall" }

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
        reply({ rss: process.memoryUsage().rss })
      }, 50)
      break
    }
    case "reset_stall":
      histogram.reset()
      reply({ ok: true })
      break
    case "stall":
      reply({ max_ms: histogram.max / 1e6, p99_ms: histogram.percentile(99) / 1e6 })
      break
  }
})
