/** A button and a plot: every click the server adds a bigger, redder set of points. */
import { Button, Div, column, curdoc, figure } from "bokeh-ts"

const plot = figure({ width: 400, height: 400, title: "click the button", x_range: [0, 12], y_range: [0, 14] })
plot.scatter({ x: [1, 2, 3], y: [4, 5, 6], size: 10, name: "points" })

const button = new Button({ name: "button", label: "Update Plot", button_type: "success" })
const info = new Div({ name: "info", text: "clicks: 0" })
let clicks = 0
button.on_click(() => {
  clicks += 1
  plot.scatter({ x: [1 + clicks, 2 + clicks, 3 + clicks], y: [4 + clicks, 5 + clicks, 6 + clicks], size: 10 + 5 * clicks, color: "red", alpha: 0.5 })
  info.text = `clicks: ${clicks}`
})

curdoc().add_root(column(button, info, plot))
curdoc().title = "Button"
