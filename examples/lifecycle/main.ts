/**
 * A directory app: main.ts builds the document, server_lifecycle.ts counts sessions, templates/index.html
 * lays out the page and static/ holds its stylesheet (served at /lifecycle/static/).
 */
import { Button, ColumnDataSource, Div, curdoc, figure } from "bokeh-ts"

import { stats } from "./state.ts"

const doc = curdoc()
const info = new Div({ name: "info", text: `server started ${stats.started}; session #${stats.sessions_created}, ${stats.sessions_open} open` })

const source = new ColumnDataSource({ name: "source", data: { x: [0], y: [0] } })
const plot = figure({ name: "plot", width: 500, height: 300, title: "random walk", tools: "pan,wheel_zoom,reset" })
plot.line({ x: "x", y: "y", source, line_width: 2 })

const button = new Button({ name: "step", label: "10 more steps" })
button.on_click(() => {
  const xs = source.data["x"] as number[]
  const ys = source.data["y"] as number[]
  const x: number[] = []
  const y: number[] = []
  let last = ys[ys.length - 1]!
  for (let i = 1; i <= 10; i++) {
    last += Math.random() - 0.5
    x.push(xs.length - 1 + i)
    y.push(last)
  }
  source.stream({ x, y })
})

doc.add_root(info)
doc.add_root(button)
doc.add_root(plot)
doc.template_variables["heading"] = "A directory app"
doc.title = "Lifecycle"
