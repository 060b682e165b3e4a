/**
 * Plots inside your own page: components() gives one script and a div per plot; the page loads
 * BokehJS itself (here from Bokeh's CDN, with the pinned version and SRI hashes).
 *
 *   npx tsx examples/standalone/components.ts   # writes ./report.html
 */
import { writeFileSync } from "node:fs"

import { CDN, components, figure } from "bokeh-ts"

const days = Array.from({ length: 30 }, (_, i) => i + 1)
const visits = days.map((d) => 200 + 80 * Math.sin(d / 4) + 15 * Math.cos(d))
const signups = visits.map((v) => v / 12)

const traffic = figure({ title: "Visits per day", width: 500, height: 250, toolbar_location: null })
traffic.vbar({ x: days, top: visits, width: 0.8, color: "#4c78a8" })
const conversion = figure({ title: "Sign-ups per day", width: 500, height: 250, toolbar_location: null })
conversion.line({ x: days, y: signups, line_width: 3, color: "#f58518" })

const [script, divs] = components({ traffic, conversion })

writeFileSync(
  "report.html",
  `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Monthly report</title>
  ${CDN.render_js(["bokeh"])}
  ${script}
</head>
<body>
  <h1>Monthly report</h1>
  <h2>Traffic</h2>
  ${divs.traffic}
  <h2>Conversion</h2>
  ${divs.conversion}
</body>
</html>
`,
)
console.log("wrote report.html")
