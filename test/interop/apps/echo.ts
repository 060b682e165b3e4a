// Twin of echo.py: the same models, names and behaviour, served by our server in the interop tests.
// A slider the server echoes into a div, the request arguments as JSON, a button counting clicks.
import { Button, Div, Dropdown, Slider, column, curdoc } from "../../../src/index.ts"

const doc = curdoc()
const raw = doc.session_context?.request.arguments ?? {}
const args = Object.fromEntries(
  Object.keys(raw)
    .sort()
    .map((k) => [k, raw[k]!.map((v) => v.toString("utf8"))]),
)

const slider = new Slider({ name: "in", title: "in", start: 0, end: 1_000_000_000, step: 1, value: 0 })
const out = new Div({ name: "out", text: "value: 0" })
const shown = new Div({ name: "args", text: JSON.stringify(args) })
const button = new Button({ name: "button", label: "click" })
const clicks = new Div({ name: "clicks", text: "clicks: 0" })
let count = 0

slider.on_change("value", (_attr, _old, value) => {
  out.text = `value: ${String(value)}`
})
button.on_click((event) => {
  count += 1
  clicks.text = `clicks: ${count} ${event.constructor.name}`
})
const menu = new Dropdown({ name: "menu", label: "menu", menu: [["One ✓", "one"], null, ["Two", "two"]] })
menu.on_click((event) => {
  if ("item" in event) clicks.text = `menu: ${String(event.item)}`
})
doc.add_root(column(slider, out, shown, button, clicks, menu))
doc.title = "Echo ünïcode"
