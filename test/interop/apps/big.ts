// Twin of big.py: two float64 columns of 1,000,000 points (16 MB of data; as JSON lists it would exceed Python's
// default 20 MiB websocket message limit, as binary buffers it fits).
import { ColumnDataSource, curdoc } from "../../../src/index.ts"

const N = 1_000_000
const x = Float64Array.from({ length: N }, (_, i) => i / 7)
curdoc().add_root(new ColumnDataSource({ name: "big", data: { x, y: x.map((v) => -v) } }))
