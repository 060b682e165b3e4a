/**
 * stream: the stream app's periodic callback streams 1,000 rows of Float64 x, y every 50 ms into each
 * of 10 subscribed sessions (bench/apps/stream.ts); rows/s and bytes/s received over raw ws. Every
 * PATCH-DOC is validated: ColumnsStreamed only, columns as binary float64 buffers, 1,000 rows, no tick
 * missing (x continues where the last patch ended), no silence longer than MAX_GAP_MS.
 */
import { PERIOD_MS, ROWS_PER_TICK } from "../apps/stream.ts"
import { now_ms } from "../lib/stats.ts"
import { StreamSession } from "../lib/stream_session.ts"
import { with_target } from "../lib/target.ts"
import type { Row, Scenario } from "../lib/types.ts"

const SESSIONS = 10
/** 40 ticks: generous for a loaded 2-core machine, short enough that a stopped stream fails fast. */
const MAX_GAP_MS = 40 * PERIOD_MS

export const stream: Scenario = {
  name: "stream",
  description: `periodic callback streams ${ROWS_PER_TICK} Float64 rows every ${PERIOD_MS} ms to ${SESSIONS} sessions: rows/s, bytes/s, binary buffers checked`,
  targets: "any",
  async run(ctx) {
    const n = ctx.concurrency ?? SESSIONS
    return await with_target(
      ctx.target,
      async (url) => {
        const sessions: StreamSession[] = []
        try {
          for (let i = 0; i < n; i++) sessions.push(await StreamSession.open(url, `stream session ${i + 1}/${n} (${url})`))
          // Warm-up and validation: two patches per session before timing.
          await Promise.all(sessions.map((s) => s.receive(Infinity, MAX_GAP_MS, 2)))
          // Count only what arrives from now on: patches queued during the warm-up are taken first.
          for (const s of sessions) await s.drain()
          const rows_0 = sessions.map((s) => s.rows)
          const bytes_0 = sessions.map((s) => s.bytes_received)
          const buffer_0 = sessions.map((s) => s.buffer_bytes)
          const t0 = now_ms()
          await Promise.all(sessions.map((s) => s.receive(t0 + ctx.seconds * 1000, MAX_GAP_MS)))
          const elapsed_s = (now_ms() - t0) / 1000
          const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)
          const rows = sum(sessions.map((s, i) => s.rows - rows_0[i]!))
          const bytes = sum(sessions.map((s, i) => s.bytes_received - bytes_0[i]!))
          const buffer_bytes = sum(sessions.map((s, i) => s.buffer_bytes - buffer_0[i]!))
          const nominal = (n * ROWS_PER_TICK * 1000) / PERIOD_MS
          return [
            { scenario: "stream", metric: `rows/s received, ${n} session${n === 1 ? "" : "s"}`, value: rows / elapsed_s, unit: "rows/s" },
            { scenario: "stream", metric: "rows/s per session", value: rows / elapsed_s / n, unit: "rows/s" },
            { scenario: "stream", metric: `bytes/s received, ${n} session${n === 1 ? "" : "s"}`, value: bytes / elapsed_s / 1e6, unit: "MB/s" },
            { scenario: "stream", metric: "bytes/s per session", value: bytes / elapsed_s / n / 1e6, unit: "MB/s" },
            { scenario: "stream", metric: `rows delivered vs nominal ${ROWS_PER_TICK}/${PERIOD_MS} ms`, value: (100 * rows) / elapsed_s / nominal, unit: "%" },
            { scenario: "stream", metric: "share of bytes in binary buffers", value: (100 * buffer_bytes) / bytes, unit: "%" },
          ] satisfies Row[]
        } finally {
          await Promise.allSettled(sessions.map((s) => s.close()))
        }
      },
      "stream",
    )
  },
}
