/**
 * roundtrip: client sets the amplitude slider (PATCH-DOC ModelChanged) → server callback →
 * PATCH-DOC back with the derived label text → OK. p50/p99 at c=1, events/s at c=16.
 */
import { derived_text } from "../apps/sliders.ts"
import { BokehClient, pull_sliders_doc } from "../lib/bokeh_client.ts"
import { load, summarize } from "../lib/stats.ts"
import { with_target } from "../lib/target.ts"
import { above, BenchFailure, below, find_value, type Row, type Scenario } from "../lib/types.ts"

/** An open session on the sliders app whose `set(v)` does one validated round trip. */
export async function roundtrip_session(url: string): Promise<{ set(value: number): Promise<void>; close(): Promise<void> }> {
  const client = await BokehClient.open(url, "roundtrip")
  const { slider_id } = await pull_sliders_doc(client)
  return {
    async set(value) {
      const msgid = client.send("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: slider_id }, attr: "value", new: value }] })
      const { before } = await client.reply(msgid, "OK")
      const expected = derived_text(value)
      const texts: unknown[] = []
      for (const m of before) {
        if (m.header.msgtype !== "PATCH-DOC") continue
        for (const e of (m.content as { events: Array<Record<string, unknown>> }).events)
          if (e["kind"] === "ModelChanged" && e["attr"] === "text") texts.push(e["new"])
      }
      if (!texts.includes(expected))
        throw new BenchFailure(
          `roundtrip: after setting amplitude=${value}, expected a PATCH-DOC with text ${JSON.stringify(expected)} before OK; got ${texts.length === 0 ? "none" : texts.map((t) => JSON.stringify(t)).join(", ")}`,
        )
    },
    close: () => client.close(),
  }
}

export const roundtrip: Scenario = {
  name: "roundtrip",
  description: "PATCH-DOC slider value → server on_change → PATCH-DOC with derived value → OK",
  targets: "any",
  async run(ctx) {
    const levels = ctx.concurrency !== undefined ? [ctx.concurrency] : [1, 16]
    const echo_p50 = find_value(ctx.results, "ceiling", "echo round trip p50, c=1")
    return await with_target(ctx.target, async (url) => {
      const rows: Row[] = []
      for (const c of levels) {
        const sessions = await Promise.all(Array.from({ length: c }, () => roundtrip_session(url)))
        const counters = sessions.map(() => 0)
        for (const s of sessions) await s.set(-1) // warm-up and validation
        const r = await load(c, ctx.seconds, (w) => sessions[w]!.set((counters[w] = (counters[w]! % 5) + 1)))
        await Promise.all(sessions.map((s) => s.close()))
        const s = summarize(r.latencies)
        const rate = { scenario: "roundtrip", metric: `events/s, c=${c}`, value: r.latencies.length / r.elapsed_s, unit: "1/s" }
        rows.push(c === 16 ? above(rate, 15_000, "≥ 15,000/s") : rate)
        const p50 = { scenario: "roundtrip", metric: `round trip p50, c=${c}`, value: s.p50, unit: "ms" }
        rows.push(c === 1 && echo_p50 !== undefined ? below(p50, 2 * echo_p50, "≤ 2× echo p50") : p50)
        rows.push({ scenario: "roundtrip", metric: `round trip p99, c=${c}`, value: s.p99, unit: "ms" })
      }
      return rows
    })
  },
}
