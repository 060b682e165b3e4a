/**
 * Themes: this directory's theme.yaml styles the plot; the Select switches the session's document to
 * one of Bokeh's built-in themes (or back to the app's own), and the browser restyles live.
 */
import { Select, Theme, column, curdoc, figure } from "bokeh-ts"

const app_theme = curdoc().theme as Theme
const x = Array.from({ length: 60 }, (_, i) => i / 6)
const plot = figure({ name: "plot", title: "themed plot", width: 640, height: 360 })
plot.line(x, x.map(Math.sin), { line_width: 3, legend_label: "sin" })
plot.scatter(x, x.map(Math.cos), { size: 7, legend_label: "cos" })

const choice = new Select({
  name: "theme",
  title: "theme",
  value: "theme.yaml",
  options: ["theme.yaml", "caliber", "carbon", "dark_minimal", "light_minimal", "night_sky", "contrast"],
})
choice.on_change("value", (_attr, _old, value) => {
  curdoc().theme = value === "theme.yaml" ? app_theme : (value as "caliber")
})

curdoc().add_root(column(choice, plot))
curdoc().title = "Themes"
