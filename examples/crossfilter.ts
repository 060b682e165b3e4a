/** Crossfilter: pick which columns of a generated car dataset drive x, y, color and size of a scatter. */
import { ColumnDataSource, Select, column, curdoc, figure, linear_cmap, row } from "bokeh-ts"

const N = 300
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo)
const weight = Array.from({ length: N }, () => rand(1500, 5000))
const data: Record<string, number[]> = {
  weight,
  hp: weight.map((w) => w / 30 + rand(-20, 40)),
  mpg: weight.map((w) => 60 - w / 120 + rand(-4, 4)),
  accel: weight.map((w) => 10 + w / 600 + rand(-2, 2)),
  year: Array.from({ length: N }, () => Math.floor(rand(70, 83))),
}
const columns = Object.keys(data)

const x = new Select({ name: "x", title: "x", value: "mpg", options: columns })
const y = new Select({ name: "y", title: "y", value: "hp", options: columns })
const color = new Select({ name: "color", title: "color", value: "year", options: columns })
const size = new Select({ name: "size", title: "size", value: "accel", options: columns })

const source = new ColumnDataSource({ name: "source", data: {} })
const container = column()

function scale(values: readonly number[], lo: number, hi: number): number[] {
  const min = Math.min(...values)
  const max = Math.max(...values)
  return values.map((v) => lo + ((v - min) / (max - min || 1)) * (hi - lo))
}

function create_figure() {
  const [xn, yn, cn, sn] = [x, y, color, size].map((select) => String(select.value)) as [string, string, string, string]
  const cs = data[cn]!
  source.data = { x: data[xn]!, y: data[yn]!, c: cs, s: scale(data[sn]!, 6, 20) }
  const p = figure({ width: 600, height: 500, title: `${yn} vs ${xn}`, x_axis_label: xn, y_axis_label: yn, tools: "pan,wheel_zoom,box_zoom,reset,hover" })
  p.scatter({
    x: "x",
    y: "y",
    size: "s",
    source,
    line_color: "white",
    alpha: 0.6,
    fill_color: linear_cmap("c", "Viridis256", Math.min(...cs), Math.max(...cs)),
  })
  return p
}

function update(): void {
  container.children = [create_figure()]
}
for (const select of [x, y, color, size]) select.on_change("value", update)
update()

curdoc().add_root(row(column(x, y, color, size, { width: 200 }), container))
curdoc().title = "Crossfilter"
