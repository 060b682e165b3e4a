/**
 * Per-document bundles in headless Chromium: a page loads only the BokehJS bundles its document needs;
 * math text gets bokeh-mathjax and renders; models a session gains later (a DataTable, TeX, a webgl
 * plot) make the page load their bundle before BokehJS sees them, on the app page and through
 * autoload.js; `--resources inline` pages fetch no script. And the bundle each model type needs, as
 * BokehJS's own bundles register them.
 */
import assert from "node:assert/strict"
import { createServer, type Server as HttpServer } from "node:http"
import type { AddressInfo } from "node:net"
import { after, before, describe, it } from "node:test"
import type { Page } from "playwright-core"

import { bundle_trigger_names } from "../../src/embed/bundle.ts"
import { server_document } from "../../src/embed/server.ts"
import { Button, Column, ColumnDataSource, DataTable, Div, Label, TableColumn, figure, type Document } from "../../src/index.ts"
import type { Server } from "../../src/server/server.ts"
import { start_server } from "../unit/server/helpers.ts"
import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

function plain_app(doc: Document): void {
  const plot = figure({ width: 300, height: 300, name: "plot" })
  plot.line({ x: [1, 2, 3], y: [1, 4, 9] })
  doc.add_root(plot)
}

function tex_app(doc: Document): void {
  const plot = figure({ width: 300, height: 300, name: "plot" })
  plot.line({ x: [1, 2, 3], y: [1, 4, 9] })
  plot.add_layout(new Label({ x: 1, y: 4, text: "$$E = mc^2$$", name: "label" }))
  doc.add_root(plot)
}

/** A button whose clicks add what needs the other bundles: a DataTable, then TeX in a Div, then a webgl plot. */
function later_app(doc: Document): void {
  const button = new Button({ name: "add", label: "add" })
  const box = new Column({ name: "box", children: [button] })
  let clicks = 0
  button.on_click(() => {
    clicks += 1
    if (clicks === 1) {
      const source = new ColumnDataSource({ data: { fruit: ["apple", "quince"], n: [3, 5] } })
      box.children = [
        ...box.children,
        new DataTable({ name: "table", source, columns: [new TableColumn({ field: "fruit" }), new TableColumn({ field: "n" })], width: 300, height: 120 }),
      ]
    } else if (clicks === 2) {
      box.children = [...box.children, new Div({ name: "math", text: "$$\\frac{a}{b}$$" })]
    } else if (clicks === 3) {
      const plot = figure({ width: 200, height: 200, output_backend: "webgl", name: "gl_plot" })
      plot.scatter({ x: [1, 2, 3], y: [3, 1, 2] })
      box.children = [...box.children, plot]
    }
  })
  doc.add_root(box)
}

interface Opened {
  page: Page
  scripts: string[]
  errors: string[]
}

// Each test has pages (and sessions) of its own: a few side by side.
describe("per-document BokehJS bundles in headless Chromium", { concurrency: 3 }, () => {
  let server: Server
  let inline: Server
  let browser: TestBrowser
  let base: string
  let embed_server: HttpServer
  let embed_url: string

  before(async () => {
    const apps = { "/plain": plain_app, "/tex": tex_app, "/later": later_app }
    server = await start_server(apps, { allow_websocket_origin: ["127.0.0.1:*"] })
    inline = await start_server(apps, { resources: "inline", allow_websocket_origin: ["127.0.0.1:*"] })
    base = `http://127.0.0.1:${server.port}`
    // Another origin embedding the "later" app with server_document (autoload.js).
    embed_server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" })
      res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${server_document(`${base}/later`)}</body></html>`)
    })
    await new Promise<void>((resolve) => embed_server.listen(0, "127.0.0.1", resolve))
    embed_url = `http://127.0.0.1:${(embed_server.address() as AddressInfo).port}/`
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (embed_server ? embed_server.close(() => resolve()) : resolve()))
    await server?.stop()
    await inline?.stop()
  })

  async function open(url: string, ready: string): Promise<Opened> {
    const page = await browser.newPage()
    const scripts: string[] = []
    const errors: string[] = []
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname.replace(/^.*\//, ""))
    })
    page.on("console", (m) => {
      if (m.type() === "error" || /\[bokeh[^\]]*\].*(error|failed)/i.test(m.text())) errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(String(e)))
    await page.goto(url)
    await page.waitForFunction(
      (name) => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name(name) !== null,
      ready,
      { timeout: PAGE_TIMEOUT },
    )
    return { page, scripts, errors }
  }

  /** Waits until the view of the model named `name` is in the page and has finished rendering. */
  async function view_rendered(page: Page, name: string): Promise<void> {
    await page.waitForFunction(
      (name) => {
        const model = Bokeh.documents[0].get_model_by_name(name)
        for (const root of Object.values(Bokeh.index) as any[]) {
          const view = root.owner.find_one(model)
          if (view != null && view.el.isConnected && view.has_finished()) return true
        }
        return false
      },
      name,
      { timeout: PAGE_TIMEOUT },
    )
  }

  it("a plot without math text loads bokeh.min.js only, and renders", async () => {
    const { page, scripts, errors } = await open(`${base}/plain`, "plot")
    await view_rendered(page, "plot")
    assert.deepEqual(scripts, ["bokeh.min.js"])
    assert.deepEqual(errors, [])
    await page.close()
  })

  it("a TeX label gets bokeh-mathjax, and MathJax typesets it without a console error", async () => {
    const { page, scripts, errors } = await open(`${base}/tex`, "label")
    assert.deepEqual(scripts, ["bokeh.min.js", "bokeh-mathjax.min.js"])
    await view_rendered(page, "label")
    // MathJax came from the bundle (BokehJS's provider found it; no other script was requested).
    await page.waitForFunction(() => Bokeh.require("models/text/providers").default_provider.status === "loaded", null, { timeout: PAGE_TIMEOUT })
    assert.deepEqual(errors, [])
    await page.close()
  })

  for (const where of ["app page", "autoload.js"] as const) {
    it(`${where}: a DataTable, TeX and a webgl plot added after load make the page load their bundles first, and render`, async () => {
      const { page, scripts, errors } = await open(where === "app page" ? `${base}/later` : embed_url, "add")
      assert.deepEqual(
        scripts.filter((s) => s.endsWith(".min.js")),
        ["bokeh.min.js", "bokeh-widgets.min.js"],
      )
      const click = () => page.getByRole("button", { name: "add" }).click()

      await click()
      await page.getByText("quince").waitFor({ timeout: PAGE_TIMEOUT })
      assert.ok(scripts.includes("bokeh-tables.min.js"))

      await click()
      await view_rendered(page, "math")
      assert.ok(scripts.includes("bokeh-mathjax.min.js"))
      await page.waitForFunction(() => Bokeh.require("models/text/providers").default_provider.status === "loaded", null, { timeout: PAGE_TIMEOUT })
      // MathJax typeset the Div's TeX into SVG.
      const math_svg = await page.evaluate(() => {
        const model = Bokeh.documents[0].get_model_by_name("math")
        const views = (Object.values(Bokeh.index) as any[]).map((root) => root.owner.find_one(model)).filter((v) => v != null)
        return views.some((v) => v.shadow_el.querySelector("mjx-container svg, svg") !== null)
      })
      assert.ok(math_svg, "the Div's TeX is typeset")

      await click()
      await view_rendered(page, "gl_plot")
      assert.ok(scripts.includes("bokeh-gl.min.js"))
      assert.equal(scripts.filter((s) => s === "bokeh-tables.min.js").length, 1)
      assert.deepEqual(errors, [])
      await page.close()
    })
  }

  it("--resources inline: a self-contained page that requests no script, and renders", async () => {
    const { page, scripts, errors } = await open(`http://127.0.0.1:${inline.port}/plain`, "plot")
    await view_rendered(page, "plot")
    assert.deepEqual(scripts, [])
    assert.deepEqual(errors, [])
    await page.close()
  })

  it("each optional bundle registers exactly the model types listed as needing it (and nothing else needs it by type)", async () => {
    // A page of its own for each combination of bundles, all loaded side by side.
    const registered = async (bundles: string[]): Promise<Set<string>> => {
      const page = await browser.newPage()
      await page.setContent("<html><head></head><body></body></html>")
      for (const b of bundles) await page.addScriptTag({ url: `${base}/static/js/${b}.min.js` })
      const names = new Set(await page.evaluate(() => Object.keys(Bokeh.Models) as string[]))
      await page.close()
      return names
    }
    const combos = [["bokeh"], ["bokeh", "bokeh-widgets"], ["bokeh", "bokeh-widgets", "bokeh-tables"], ["bokeh", "bokeh-gl"], ["bokeh", "bokeh-mathjax"]]
    const loaded = new Map(await Promise.all(combos.map(async (c) => [c.join("+"), await registered(c)] as const)))
    const of = (bundles: readonly string[]) => loaded.get(bundles.join("+"))!
    const core = of(["bokeh"])
    const triggers = bundle_trigger_names()
    for (const [bundle, before] of [
      ["bokeh-widgets", []],
      ["bokeh-tables", ["bokeh-widgets"]],
      ["bokeh-gl", []],
      ["bokeh-mathjax", []],
    ] as const) {
      const without = of(["bokeh", ...before])
      const added = [...of(["bokeh", ...before, bundle])].filter((n) => !without.has(n))
      const listed = triggers[bundle]
      assert.deepEqual(
        added.filter((n) => !listed.includes(n)),
        [],
        `${bundle} registers types not listed as needing it`,
      )
      // Listed types the core bundle already registers would load a bundle for nothing; only math text (rendered by MathJax) may.
      if (bundle !== "bokeh-mathjax")
        assert.deepEqual(
          listed.filter((n) => core.has(n)),
          [],
          `${bundle}: listed types that bokeh.min.js has`,
        )
    }
  })
})
