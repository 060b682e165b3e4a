/**
 * The app the protocol fuzzer attacks: widgets with Python-style callbacks, a ColumnDataSource with a
 * float64, a list and a string column, a plot drawing it, and a button and select whose events run code.
 */
import { Button, ColumnDataSource, Div, Select, Slider, column, figure, type Document } from "../src/index.ts"

export function fuzz_app(doc: Document): void {
  const source = new ColumnDataSource({ name: "source", data: { x: new Float64Array([1, 2, 3]), y: [4, 5, 6], names: ["a", "b", "c"] } })
  const slider = new Slider({ name: "slider", title: "s", value: 1, start: 0, end: 10, step: 1 })
  const div = new Div({ name: "div", text: "1" })
  const select = new Select({ name: "select", options: ["a", "b"], value: "a" })
  const button = new Button({ name: "button", label: "go" })
  const plot = figure({ height: 200, width: 200 })
  plot.scatter({ x: "x", y: "y", source })
  slider.on_change("value", (_a, _o, v) => {
    div.text = String(v)
  })
  select.on_change("value", (_a, _o, v) => {
    div.text = `select ${String(v)}`
  })
  button.on_click(() => {
    source.stream({ x: new Float64Array([source.data["x"] instanceof Float64Array ? source.data["x"].length : 0]), y: [0], names: ["clicked"] }, 50)
  })
  doc.add_root(column([slider, div, select, button, plot]))
  doc.add_root(source)
  doc.title = "Fuzz"
}
