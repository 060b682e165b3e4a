/** Sliders: a sine wave whose offset, amplitude, phase and frequency four sliders set; a text input renames the plot. */
import { ColumnDataSource, Slider, TextInput, column, curdoc, figure, row } from "bokeh-ts"

const N = 200
const x = Float64Array.from({ length: N }, (_, i) => (4 * Math.PI * i) / (N - 1))
const wave = (a: number, f: number, p: number, b: number) => x.map((v) => b + a * Math.sin(f * v + p))

const source = new ColumnDataSource({ name: "source", data: { x, y: wave(1, 1, 0, 0) } })

const plot = figure({
  height: 400,
  width: 400,
  title: "my sine wave",
  tools: "crosshair,pan,reset,save,wheel_zoom",
  x_range: [0, 4 * Math.PI],
  y_range: [-2.5, 2.5],
})
plot.line({ x: "x", y: "y", source, line_width: 3, line_alpha: 0.6 })

const text = new TextInput({ name: "title", title: "title", value: "my sine wave" })
const offset = new Slider({ name: "offset", title: "offset", value: 0, start: -5, end: 5, step: 0.1 })
const amplitude = new Slider({ name: "amplitude", title: "amplitude", value: 1, start: -5, end: 5, step: 0.1 })
const phase = new Slider({ name: "phase", title: "phase", value: 0, start: 0, end: 2 * Math.PI, step: 0.1 })
const freq = new Slider({ name: "freq", title: "frequency", value: 1, start: 0.1, end: 5.1, step: 0.1 })

text.on_change("value", (_attr, _old, value) => {
  plot.title.text = value
})

function update(): void {
  source.data = { x, y: wave(amplitude.value, freq.value, phase.value, offset.value) }
}
for (const slider of [offset, amplitude, phase, freq]) slider.on_change("value", update)

curdoc().add_root(row(column(text, offset, amplitude, phase, freq), plot))
curdoc().title = "Sliders"
