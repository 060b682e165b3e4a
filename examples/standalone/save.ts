/**
 * A standalone HTML file, no server: output_file + save, as Python's bokeh.io. Interactions that run
 * in the browser (pan, zoom, hover, a CustomJS slider) keep working in the file.
 *
 *   npx tsx examples/standalone/save.ts     # writes ./sine.html (BokehJS inline: works offline)
 */
import { ColumnDataSource, CustomJS, Slider, column, figure } from "bokeh-ts"
import { output_file, save } from "bokeh-ts/io"

const x = Float64Array.from({ length: 200 }, (_, i) => (i / 199) * 4 * Math.PI)
const source = new ColumnDataSource({ data: { x, y: x.map(Math.sin) } })

const plot = figure({ title: "A sine wave in a standalone file", width: 600, height: 300, tools: "pan,wheel_zoom,hover,reset,save" })
plot.line({ x: "x", y: "y", source, line_width: 3, line_alpha: 0.7 })

// Callbacks in standalone output are JavaScript (CustomJS): there is no server to run TypeScript ones.
const freq = new Slider({ title: "frequency", value: 1, start: 0.1, end: 5, step: 0.1 })
freq.js_on_change(
  "value",
  new CustomJS({
    args: { source, freq },
    code: "const x = source.data.x; source.data = { x, y: Array.from(x, (v) => Math.sin(freq.value * v)) }",
  }),
)

output_file("sine.html", { title: "Sine", mode: "inline" })
console.log(`wrote ${save(column(freq, plot))}`)
