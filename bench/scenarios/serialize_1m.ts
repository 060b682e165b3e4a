/** serialize_1m: a 1,000,000-point ColumnDataSource (Float64Array x, y) through binary buffers and back. */
import { ColumnDataSource, Document } from "../../src/index.ts"
import { now_ms, summarize } from "../lib/stats.ts"
import { below, BenchFailure, type Row, type Scenario } from "../lib/types.ts"

const N = 1_000_000

export const serialize_1m: Scenario = {
  name: "serialize_1m",
  description: "Document with a 1M-point CDS (2 Float64Array columns): to_json_with_buffers + from_json",
  targets: "none",
  async run() {
    const x = Float64Array.from({ length: N }, (_, i) => i)
    const y = Float64Array.from({ length: N }, (_, i) => Math.sin(i))
    const doc = new Document()
    doc.add_root(new ColumnDataSource({ name: "big", data: { x, y } }))
    const times: number[] = []
    for (let i = 0; i < 12; i++) {
      const t0 = now_ms()
      const { doc: json, buffers } = doc.to_json_with_buffers("buffers")
      const back = Document.from_json(json, new Map(buffers.map((b) => [b.id, b.data])))
      times.push(now_ms() - t0)
      if (i === 0) {
        const cds = back.get_model_by_name("big") as ColumnDataSource | null
        const by = cds?.data["y"] as Float64Array | undefined
        if (by === undefined || by.length !== N || by[N - 1] !== y[N - 1])
          throw new BenchFailure("serialize_1m: the deserialized column differs from the original")
      }
    }
    const s = summarize(times.slice(2))
    return [below({ scenario: "serialize_1m", metric: "round trip p50", value: s.p50, unit: "ms" }, 100, "< 100 ms")] satisfies Row[]
  },
}
