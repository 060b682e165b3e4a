/** sessions: open websocket + ACK + PULL-DOC + close against the sliders-like app, at c=1/16/64. */
import { BokehClient, pull_sliders_doc } from "../lib/bokeh_client.ts"
import { load, summarize } from "../lib/stats.ts"
import { with_target } from "../lib/target.ts"
import { above, type Row, type Scenario } from "../lib/types.ts"

const TARGETS: Record<number, number> = { 1: 150, 16: 300 }

export async function one_session(url: string): Promise<void> {
  const client = await BokehClient.open(url, "sessions")
  try {
    await pull_sliders_doc(client)
  } finally {
    await client.close()
  }
}

export const sessions: Scenario = {
  name: "sessions",
  description: "open ws (subprotocols bokeh+JWT) → ACK → PULL-DOC → close, validating every reply",
  targets: "any",
  async run(ctx) {
    const levels = ctx.concurrency !== undefined ? [ctx.concurrency] : [1, 16, 64]
    return await with_target(ctx.target, async (url) => {
      const rows: Row[] = []
      await one_session(url) // warm-up; also validates the target before timing
      for (const c of levels) {
        const r = await load(c, ctx.seconds, () => one_session(url))
        const s = summarize(r.latencies)
        const rate = { scenario: "sessions", metric: `sessions/s, c=${c}`, value: r.latencies.length / r.elapsed_s, unit: "1/s" }
        const limit = TARGETS[c]
        rows.push(limit !== undefined ? above(rate, limit, `≥ ${limit}/s`) : rate)
        rows.push({ scenario: "sessions", metric: `session latency p50, c=${c}`, value: s.p50, unit: "ms" })
        rows.push({ scenario: "sessions", metric: `session latency p99, c=${c}`, value: s.p99, unit: "ms" })
      }
      return rows
    })
  },
}
