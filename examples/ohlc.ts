/** Periodic streaming: a random-walk OHLC chart fed by a periodic callback, keeping the last 200 bars. */
import { ColumnDataSource, DataRange1d, Select, column, curdoc, figure } from "bokeh-ts"

const source = new ColumnDataSource({
  name: "source",
  data: { time: [], open: [], high: [], low: [], close: [], color: [] },
})

const plot = figure({
  height: 400,
  width: 800,
  title: "random walk",
  tools: "xpan,xwheel_zoom,reset",
  y_axis_location: "right",
  x_range: new DataRange1d({ follow: "end", follow_interval: 100, range_padding: 0 }),
})
plot.segment({ x0: "time", y0: "low", x1: "time", y1: "high", source, color: "black" })
plot.vbar({ x: "time", width: 0.6, top: "open", bottom: "close", source, fill_color: "color", line_color: "black" })

const speed = new Select({ name: "speed", title: "volatility", value: "1", options: ["0.5", "1", "2", "4"] })

let t = 0
let price = 100
function tick(): void {
  const sigma = Number(speed.value)
  const open = price
  let high = open
  let low = open
  for (let i = 0; i < 10; i++) {
    price = Math.max(1, price + sigma * (Math.random() - 0.5))
    high = Math.max(high, price)
    low = Math.min(low, price)
  }
  t += 1
  source.stream({ time: [t], open: [open], high: [high], low: [low], close: [price], color: [price >= open ? "#2ca02c" : "#d62728"] }, 200)
}

curdoc().add_root(column(speed, plot))
curdoc().add_periodic_callback(tick, 200)
curdoc().title = "OHLC"
