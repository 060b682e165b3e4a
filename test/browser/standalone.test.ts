/**
 * Standalone output rendered by stock BokehJS in headless Chromium, with the network cut off: every
 * request that is not file: or data: is aborted (and counted), so inline pages must be self-contained.
 */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { after, before, describe, it } from "node:test"
import type { Page } from "playwright-core"

import { Div, column, figure } from "../../src/index.ts"
import { autoload_static, components, file_html, json_item } from "../../src/embed/standalone.ts"
import { Resources } from "../../src/embed/standalone_resources.ts"
import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"

/** Whether some canvas (shadow DOMs included) has a pixel that is neither white nor transparent. */
const PAINTED = `(() => {
  const canvases = []
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el instanceof HTMLCanvasElement) canvases.push(el)
      if (el.shadowRoot !== null) walk(el.shadowRoot)
    }
  }
  walk(document)
  for (const canvas of canvases) {
    const ctx = canvas.getContext("2d")
    if (ctx === null || canvas.width === 0 || canvas.height === 0) continue
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) return true
  }
  return false
})()`

function make_plot() {
  const p = figure({ title: "standalone", width: 400, height: 300, name: "plot" })
  p.line({ x: [1, 2, 3, 4], y: [1, 4, 9, 16], line_width: 3 })
  p.scatter({ x: [1, 2, 3, 4], y: [1, 4, 9, 16], size: 10, color: "red" })
  return p
}

/** BokehJS's own bundle files, as absolute paths a file: page can load. */
const ABSOLUTE = new Resources({ mode: "absolute" })

// Each test writes its own file and opens its own page: side by side.
describe("standalone output in headless Chromium (no network)", { concurrency: true }, () => {
  let browser: TestBrowser
  let dir: string

  before(async () => {
    browser = await launch_browser()
    dir = mkdtempSync(join(tmpdir(), "bokeh-ts-standalone-"))
  })
  after(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Opens a file with the network blocked; collects console errors and blocked requests. */
  async function open(name: string, html: string): Promise<{ page: Page; errors: string[]; blocked: string[] }> {
    const path = join(dir, name)
    writeFileSync(path, html)
    const errors: string[] = []
    const blocked: string[] = []
    const page = await browser.newPage()
    await page.route("**/*", (route) => {
      const url = route.request().url()
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue()
      blocked.push(url)
      return route.abort()
    })
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(String(e)))
    await page.goto(pathToFileURL(path).href)
    return { page, errors, blocked }
  }

  async function assert_renders(page: Page, errors: string[], blocked: string[]): Promise<void> {
    await page.waitForFunction(PAINTED, null, { timeout: PAGE_TIMEOUT })
    assert.deepEqual(blocked, [], "requests outside the file")
    assert.deepEqual(errors, [], "console errors")
    await page.close()
  }

  it("file_html with inline resources is one self-contained file that renders the plot", async () => {
    const html = file_html(make_plot(), { resources: "inline", title: "inline page" })
    const { page, errors, blocked } = await open("inline.html", html)
    assert.equal(await page.title(), "inline page")
    await assert_renders(page, errors, blocked)
  })

  it("components() embedded into a hand-written page renders (a plot and a widget)", async () => {
    const plot = make_plot()
    const div = new Div({ text: "<b id='hello'>hello</b>" })
    const [script, divs] = components({ plot, div })
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8">${ABSOLUTE.render_js()}${script}</head>
      <body><h1>my page</h1><section>${divs["plot"]}</section><aside>${divs["div"]}</aside></body></html>`
    const { page, errors, blocked } = await open("components.html", html)
    // Both roots have views, each in its own div of the hand-written page.
    const where = `[${JSON.stringify(plot.id)}, ${JSON.stringify(div.id)}].map((id) => Bokeh.index.get_by_id(id)?.el.closest("section, aside")?.tagName)`
    await page.waitForFunction(`typeof Bokeh !== "undefined" && ${where}.every((tag) => tag !== undefined)`, null, { timeout: PAGE_TIMEOUT })
    assert.deepEqual(await page.evaluate(where), ["SECTION", "ASIDE"])
    await assert_renders(page, errors, blocked)
  })

  it("json_item renders through Bokeh.embed.embed_item", async () => {
    const item = json_item(make_plot(), "target")
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8">${ABSOLUTE.render_js(["bokeh"])}</head>
      <body><div id="target"></div><script>Bokeh.embed.embed_item(${JSON.stringify(item).replace(/</g, "\\u003c")})</script></body></html>`
    const { page, errors, blocked } = await open("json_item.html", html)
    await assert_renders(page, errors, blocked)
  })

  it("autoload_static: the script loads BokehJS and renders in place of its tag", async () => {
    const [js, tag] = autoload_static(column(make_plot()), ABSOLUTE, "./plot.js")
    writeFileSync(join(dir, "plot.js"), js)
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>before</p>${tag}<p>after</p></body></html>`
    const { page, errors, blocked } = await open("autoload.html", html)
    await assert_renders(page, errors, blocked)
  })
})
