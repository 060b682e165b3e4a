/**
 * The sliders-like app of the session and round-trip benchmarks: 4 sliders, a figure with one line
 * of 200 points, and `on_change` callbacks that recompute the line and a derived label.
 *
 * Contract the benchmark client relies on (the Python twin in docs/benchmarks.md keeps it):
 * a root tree containing a Slider named "amplitude" and a Div named "label"; setting amplitude to
 * an integer `v` makes the server send `label.text = derived_text(v)` back in a PATCH-DOC.
 */
import { ColumnDataSource, Div, Slider, column, figure, row, type Document } from "../../src/index.ts"

export const N_POINTS = 200

export function derived_text(amplitude: number): string {
  return `amplitude: ${amplitude}`
}

export function sliders_app(doc: Document): void {
  const x = Float64Array.from({ length: N_POINTS }, (_, i) => (i / (N_POINTS - 1)) * 4 * Math.PI)
  const compute = (a: number, f: number, p: number, o: number): Float64Array => x.map((v) => a * Math.sin(f * v + p) + o)
  const source = new ColumnDataSource({ data: { x, y: compute(1, 1, 0, 0) } })
  const plot = figure({
    height: 400,
    width: 400,
    title: "my sine wave",
    tools: "crosshair,pan,reset,save,wheel_zoom",
    x_range: [0, 4 * Math.PI],
    y_range: [-2.5, 2.5],
  })
  plot.line({ x: "x", y: "y", source, line_width: 3, line_alpha: 0.6 })
  const amplitude = new Slider({ name: "amplitude", title: "amplitude", value: 1, start: -5, end: 5, step: 0.1 })
  const frequency = new Slider({ name: "frequency", title: "frequency", value: 1, start: 0.1, end: 5.1, step: 0.1 })
  const phase = new Slider({ name: "phase", title: "phase", value: 0, start: 0, end: 2 * Math.PI })
  const offset = new Slider({ name: "offset", title: "offset", value: 0, start: -5, end: 5, step: 0.1 })
  const label = new Div({ name: "label", text: derived_text(1) })
  const update = (): void => {
    source.data = { x, y: compute(Number(amplitude.value), Number(frequency.value), Number(phase.value), Number(offset.value)) }
  }
  for (const s of [amplitude, frequency, phase, offset]) s.on_change("value", update)
  amplitude.on_change("value", (_attr, _old, value) => {
    label.text = derived_text(value as number)
  })
  doc.add_root(row([column([amplitude, frequency, phase, offset, label]), plot]))
  doc.title = "Sliders"
}
