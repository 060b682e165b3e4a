/** doc_40_models: a ~40-model plot document (figure + line + slider) serialized and deserialized ×10,000. */
import { ColumnDataSource, Document, Slider, column, figure } from "../../src/index.ts"
import { now_ms } from "../lib/stats.ts"
import { below, type Row, type Scenario } from "../lib/types.ts"

const ITERATIONS = 10_000

export function make_plot_doc(): Document {
  const doc = new Document()
  const source = new ColumnDataSource({ data: { x: [1, 2, 3, 4, 5], y: [6, 7, 2, 4, 5] } })
  const plot = figure({ title: "doc_40_models", width: 400, height: 300 })
  plot.line({ x: "x", y: "y", source, line_width: 2 })
  const slider = new Slider({ title: "value", start: 0, end: 10, value: 1, step: 0.1 })
  doc.add_root(column([slider, plot]))
  return doc
}

export const doc_40_models: Scenario = {
  name: "doc_40_models",
  description: `~40-model plot document: to_json_with_buffers + from_json ×${ITERATIONS}`,
  targets: "none",
  async run() {
    const doc = make_plot_doc()
    const models = doc.all_models.size
    for (let i = 0; i < 200; i++) Document.from_json(doc.to_json_with_buffers("buffers").doc)
    const t0 = now_ms()
    for (let i = 0; i < ITERATIONS; i++) {
      const { doc: json, buffers } = doc.to_json_with_buffers("buffers")
      Document.from_json(json, new Map(buffers.map((b) => [b.id, b.data])))
    }
    const each = (now_ms() - t0) / ITERATIONS
    return [below({ scenario: "doc_40_models", metric: `round trip mean (${models} models)`, value: each, unit: "ms" }, 0.2, "< 0.2 ms")] satisfies Row[]
  },
}
