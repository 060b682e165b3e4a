/** Server monitor: a 1 s periodic callback streams the server's memory use into a chart; a button gzips the samples asynchronously and reports the sizes. */
import { promisify } from "node:util"
import { gzip } from "node:zlib"

import { Button, ColumnDataSource, Div, column, curdoc, figure } from "bokeh-ts"

const gzip_async = promisify(gzip)
const MiB = 2 ** 20

const source = new ColumnDataSource({ name: "samples", data: { t: [], rss: [], heap: [] } })
const plot = figure({ name: "plot", height: 300, width: 600, title: "server memory (MiB)", x_axis_label: "seconds", tools: "xpan,xwheel_zoom,reset" })
plot.line({ x: "t", y: "rss", source, legend_label: "rss", line_width: 2 })
plot.line({ x: "t", y: "heap", source, legend_label: "heap used", line_width: 2, color: "orange" })

const status = new Div({ name: "status", text: "samples: 0" })
const compress = new Button({ name: "compress", label: "Gzip the samples" })
const result = new Div({ name: "result", text: "" })

let t = 0
function sample(): void {
  t += 1
  const memory = process.memoryUsage()
  source.stream({ t: [t], rss: [memory.rss / MiB], heap: [memory.heapUsed / MiB] }, 600)
  status.text = `samples: ${t}`
}

// An async callback: the server awaits it, so its changes (and the button re-enabled) reach the browser together.
compress.on_click(async () => {
  compress.disabled = true
  const json = JSON.stringify(source.data)
  const packed = await gzip_async(json)
  result.text = `${(source.data["t"] as number[]).length} samples: ${json.length} bytes of JSON, ${packed.length} gzipped`
  compress.disabled = false
})

curdoc().add_root(column(status, plot, compress, result))
curdoc().add_periodic_callback(sample, 1000)
curdoc().title = "Monitor"
