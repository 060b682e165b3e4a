/**
 * JSON for Bokeh.embed.embed_item: what a web endpoint returns so the page renders the plot itself
 * (Python's json_item). This writes the JSON and a page that embeds it.
 *
 *   npx tsx examples/standalone/json_item.ts   # writes ./item.json and ./item.html
 */
import { writeFileSync } from "node:fs"

import { CDN, figure, json_item } from "bokeh-ts"

const plot = figure({ title: "Embedded with embed_item", width: 500, height: 300 })
plot.scatter({ x: [1, 2, 3, 4, 5], y: [6, 7, 2, 4, 5], size: 15, color: "firebrick", alpha: 0.6 })

const item = json_item(plot, "myplot")
writeFileSync("item.json", JSON.stringify(item))
// A real app would fetch("/plot") the JSON; it is inlined here to keep the example to one file.
writeFileSync(
  "item.html",
  `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>embed_item</title>${CDN.render_js(["bokeh"])}</head>
<body>
  <div id="myplot"></div>
  <script>Bokeh.embed.embed_item(${JSON.stringify(item).replace(/</g, "\\u003c")})</script>
</body>
</html>
`,
)
console.log("wrote item.json and item.html")
