/**
 * PNG and SVG files of a plot, rendered by headless Chromium (needs `npm install playwright-core`
 * and a Chromium: /usr/bin/chromium, or BOKEH_CHROMIUM=/path/to/chrome).
 *
 *   npx tsx examples/standalone/export_png.ts   # writes ./scatter.png (2x) and ./scatter.svg
 */
import { figure, linear_cmap } from "bokeh-ts"
import { export_png, export_svg } from "bokeh-ts/io"

// A fixed pseudo-random sequence, so the picture is the same each time.
let seed = 7
const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647
const x = Array.from({ length: 400 }, () => rand() * 100)
const y = x.map((v) => v * 0.6 + rand() * 40)

const plot = figure({ title: "export_png / export_svg", width: 500, height: 350, toolbar_location: null, output_backend: "svg" })
plot.scatter({ x, y, size: 9, alpha: 0.7, line_color: null, fill_color: linear_cmap("y", "Viridis256", 0, 100) })

console.log(`wrote ${await export_png(plot, { filename: "scatter.png", scale_factor: 2 })}`)
console.log(`wrote ${(await export_svg(plot, { filename: "scatter.svg" })).join(", ")}`)
