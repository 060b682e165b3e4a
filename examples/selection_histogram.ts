/** Selection histogram: a scatter with histograms of x and y; selecting points redraws the histograms of the selection. */
import { ColumnDataSource, Div, column, curdoc, figure, gridplot } from "bokeh-ts"

function gauss(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random())
}
const N = 1000
const x = Array.from({ length: N }, () => gauss() * 1.5)
const y = Array.from({ length: N }, (_, i) => x[i]! * 0.5 + gauss())

const source = new ColumnDataSource({ name: "source", data: { x, y } })
const BINS = 20

function histogram(values: readonly number[], lo: number, hi: number): { left: number[]; right: number[]; top: number[] } {
  const w = (hi - lo) / BINS
  const top = new Array<number>(BINS).fill(0)
  for (const v of values) top[Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / w)))]! += 1
  return { left: top.map((_, i) => lo + i * w), right: top.map((_, i) => lo + (i + 1) * w), top }
}

const main = figure({ width: 400, height: 400, title: "select points", tools: "pan,wheel_zoom,box_select,lasso_select,reset" })
main.scatter({ x: "x", y: "y", source, size: 4, color: "#3a5785", alpha: 0.6 })

const hx_all = new ColumnDataSource({ data: histogram(x, -6, 6) })
const hx_sel = new ColumnDataSource({ name: "hx", data: { left: [], right: [], top: [] } })
const hy_all = new ColumnDataSource({ data: histogram(y, -6, 6) })
const hy_sel = new ColumnDataSource({ name: "hy", data: { left: [], right: [], top: [] } })

const px = figure({ width: 400, height: 160, x_range: main.x_range, title: "x", tools: "" })
px.quad({ left: "left", right: "right", top: "top", bottom: 0, source: hx_all, color: "white", line_color: "#3a5785" })
px.quad({ left: "left", right: "right", top: "top", bottom: 0, source: hx_sel, color: "#3a5785", alpha: 0.5 })
const py = figure({ width: 160, height: 400, y_range: main.y_range, title: "y", tools: "" })
py.quad({ bottom: "left", top: "right", right: "top", left: 0, source: hy_all, color: "white", line_color: "#3a5785" })
py.quad({ bottom: "left", top: "right", right: "top", left: 0, source: hy_sel, color: "#3a5785", alpha: 0.5 })

const status = new Div({ name: "status", text: "selected: 0" })
source.selected.on_change("indices", (_attr, _old, indices) => {
  const idx = indices as number[]
  hx_sel.data = histogram(
    idx.map((i) => x[i]!),
    -6,
    6,
  )
  hy_sel.data = histogram(
    idx.map((i) => y[i]!),
    -6,
    6,
  )
  status.text = `selected: ${idx.length}`
})

curdoc().add_root(
  column(
    status,
    gridplot([
      [px, null],
      [main, py],
    ]),
  ),
)
curdoc().title = "Selection histogram"
