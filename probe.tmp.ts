import { launch_browser } from "./test/browser/helpers.ts"
import { createServer } from "node:http"
import { readFileSync } from "node:fs"
import { bundle_trigger_names } from "./src/embed/bundle.ts"
import "./src/index.ts"
const dir = "node_modules/@bokeh/bokehjs/build/js/"
const srv = createServer((req, res) => { if (req.url!.startsWith("/page")) { const bs = new URL(req.url!, "http://x").searchParams.get("b")!.split(","); res.setHeader("content-type","text/html"); res.end(`<html><head>${bs.map(b=>`<script src="/${b}.min.js"></script>`).join("")}</head><body></body></html>`); return } try { res.end(readFileSync(dir + req.url!.slice(1))) } catch { res.statusCode = 404; res.end() } })
await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r))
const port = (srv.address() as any).port
const b = await launch_browser()
async function names(bs: string[]) {
  const p = await b.newPage()
  const errors: string[] = []
  p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()) })
  p.on("pageerror", (e) => errors.push(String(e)))
  await p.goto(`http://127.0.0.1:${port}/page?b=${bs.join(",")}`)
  const n = await p.evaluate(() => Object.keys((window as any).Bokeh.Models) as string[])
  await p.close()
  return { n: new Set(n), errors }
}
const base = await names(["bokeh"])
const trig = bundle_trigger_names() as Record<string, string[]>
for (const [bs, x] of [[["bokeh","bokeh-widgets"],"bokeh-widgets"],[["bokeh","bokeh-tables"],"bokeh-tables"],[["bokeh","bokeh-widgets","bokeh-tables"],"bokeh-tables"],[["bokeh","bokeh-gl"],"bokeh-gl"],[["bokeh","bokeh-mathjax"],"bokeh-mathjax"]] as const) {
  const r = await names([...bs])
  const prev = bs.length > 2 ? (await names(bs.slice(0, -1) as string[])).n : base.n
  const added = [...r.n].filter((x) => !prev.has(x))
  console.log(bs.join("+"), "errors:", r.errors, "added:", added.length, "not triggering:", added.filter((a) => !trig[x]!.includes(a)), "trigger but in earlier:", trig[x]!.filter((t) => prev.has(t)))
}
await b.close(); srv.close()
