/**
 * The app of the `slow_consumer` benchmark: one ColumnDataSource "firehose" with two float64 columns
 * and a periodic callback streaming ROWS_PER_TICK rows every PERIOD_MS: 3 MB/s of column data per
 * session, with a rollover that keeps the document itself at ROLLOVER rows (3.2 MB).
 *
 * Contract the benchmark checks a client's document against: x counts up by one across ticks and
 * y = sin(x), so any lost, repeated or reordered row shows.
 */
import { ColumnDataSource, type Document } from "../../src/index.ts"

export const PERIOD_MS = 50
/** 9,375 rows × 2 columns × 8 bytes × 20 ticks/s = 3 MB/s. */
export const ROWS_PER_TICK = 9_375
export const ROLLOVER = 200_000
export const FIREHOSE_NAME = "firehose"

export function firehose_app(doc: Document): void {
  const source = new ColumnDataSource({ name: FIREHOSE_NAME, data: { x: new Float64Array(0), y: new Float64Array(0) } })
  let k = 0
  doc.add_periodic_callback(() => {
    const x = Float64Array.from({ length: ROWS_PER_TICK }, (_, i) => k * ROWS_PER_TICK + i)
    k += 1
    source.stream({ x, y: x.map(Math.sin) }, ROLLOVER)
  }, PERIOD_MS)
  doc.add_root(source)
  doc.title = "Firehose"
}
