/**
 * The streaming app of the `stream` benchmark: one ColumnDataSource named "stream_source" with two
 * Float64 columns, drawn by a line, and a periodic callback that streams ROWS_PER_TICK new rows
 * every PERIOD_MS with a rollover, so each session's memory stays bounded.
 *
 * Contract the benchmark client relies on (the Python twin in docs/benchmarks.md keeps it): per
 * session, tick k (k = 0, 1, …) streams x = [k·ROWS, …, k·ROWS + ROWS − 1] and y = sin(x), both
 * float64, so the client can tell a dropped or repeated tick from the first x of each patch.
 */
import { ColumnDataSource, figure, type Document } from "../../src/index.ts"

export const ROWS_PER_TICK = 1_000
export const PERIOD_MS = 50
/** Ten ticks of history: enough to draw, small enough that 10 sessions stay at a few MB. */
export const ROLLOVER = 10 * ROWS_PER_TICK
export const SOURCE_NAME = "stream_source"

/** The rows of tick `k`: x counts up across ticks, y = sin(x). */
export function tick_rows(k: number): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: ROWS_PER_TICK }, (_, i) => k * ROWS_PER_TICK + i)
  return { x, y: x.map(Math.sin) }
}

export function stream_app(doc: Document): void {
  const source = new ColumnDataSource({ name: SOURCE_NAME, data: { x: new Float64Array(0), y: new Float64Array(0) } })
  const plot = figure({ height: 300, width: 600, title: "stream" })
  plot.line({ x: "x", y: "y", source })
  let k = 0
  doc.add_periodic_callback(() => {
    source.stream(tick_rows(k++), ROLLOVER)
  }, PERIOD_MS)
  doc.add_root(plot)
  doc.title = "Stream"
}
