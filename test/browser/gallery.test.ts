/** The example gallery (examples/*.ts and examples/lifecycle) in headless Chromium against our server. */
import assert from "node:assert/strict"
import { mkdirSync } from "node:fs"
import { after, before, describe, it } from "node:test"
import type { Page } from "playwright-core"

import { build_single_handler_applications } from "../../src/command/util.ts"
import { glob } from "../../src/command/glob.ts"
import type { Server } from "../../src/server/server.ts"
import { start_server } from "../unit/server/helpers.ts"
import { launch_browser, type TestBrowser, rendered, until_painted } from "./helpers.ts"

declare const Bokeh: any

const ARTIFACTS = "test-artifacts/gallery"

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

// The apps are independent pages of one server: a few at a time, so page loads overlap the server round trips.
describe("example gallery (headless Chromium)", { concurrency: 3 }, () => {
  let server: Server
  let browser: TestBrowser
  let base: string

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    const paths = [...glob("examples/*.ts"), "examples/lifecycle", "examples/message_counter", "examples/themes"]
    server = await start_server(build_single_handler_applications(paths), { allow_websocket_origin: ["127.0.0.1:*"] })
    base = `http://127.0.0.1:${server.port}`
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** Opens an app, waits for BokehJS to render it, and returns the page and its error log. */
  async function open(app: string, query = ""): Promise<{ page: Page; errors: string[] }> {
    const errors: string[] = []
    const page = await browser.newPage({ viewport: { width: 1100, height: 750 } })
    page.on("console", (m) => {
      if (m.type() === "error" || /\[bokeh[^\]]*\].*(error|failed)/i.test(m.text())) errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(String(e)))
    await page.goto(`${base}/${app}${query}`)
    await rendered(page)
    return { page, errors }
  }

  const model = (name: string) => `Bokeh.documents[0].get_model_by_name(${JSON.stringify(name)})`

  async function finish(app: string, page: Page, errors: string[], canvas = true): Promise<void> {
    const shot = await page.screenshot({ path: `${ARTIFACTS}/${app}.png` })
    assert.ok(shot.length > 10000, `${app}: screenshot looks blank (${shot.length} bytes)`)
    if (canvas) {
      // A plot drew something: some canvas pixel is neither white nor transparent.
      const painted = await page.evaluate(PAINTED)
      assert.ok(painted, `${app}: no plot canvas has anything drawn on it`)
    }
    assert.deepEqual(errors, [], `${app}: console errors`)
    await page.close()
  }

  it("the index page lists every gallery app and not embed_express", async () => {
    const page = await browser.newPage()
    await page.goto(`${base}/`)
    const links = await page.$$eval("a", (as) => as.map((a) => a.getAttribute("href")))
    for (const app of [
      "sliders",
      "ohlc",
      "selection_histogram",
      "crossfilter",
      "button",
      "monitor",
      "message_counter",
      "request_args",
      "lifecycle",
      "themes",
    ]) {
      assert.ok(
        links.some((l) => l?.endsWith(`/${app}`) === true),
        `${app} missing from index: ${links.join(", ")}`,
      )
    }
    assert.ok(!links.some((l) => l?.includes("embed_express") === true))
    await page.close()
  })

  it("sliders: moving a slider changes the wave, the text input renames the plot", async () => {
    const { page, errors } = await open("sliders")
    const y0 = await page.evaluate(`${model("source")}.data.y[10]`)
    const handle = page.locator(".noUi-handle").first()
    await handle.focus()
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight")
    await page.waitForFunction(`${model("source")}.data.y[10] !== ${y0}`)
    const input = page.locator("input[type=text]").first()
    await input.fill("a new title")
    await input.press("Enter")
    await page.waitForFunction(`Bokeh.documents[0].roots()[0].children[1].title.text === "a new title"`)
    await finish("sliders", page, errors)
  })

  it("ohlc: the periodic callback streams bars, rolled over at 200", async () => {
    const { page, errors } = await open("ohlc")
    // Ticks counted by the newest bar's time (one per tick), not the column's length, which stops at 200.
    const t0 = (await page.evaluate(`${model("source")}.data.time.at(-1)`)) as number
    await page.waitForFunction(`${model("source")}.data.time.at(-1) >= ${t0 + 5}`)
    await finish("ohlc", page, errors)
  })

  it("selection_histogram: selecting points runs the server callback and fills the histograms", async () => {
    const { page, errors } = await open("selection_histogram")
    await page.evaluate(`${model("source")}.selected.indices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]`)
    await page.waitForFunction(`${model("status")}.text === "selected: 10"`)
    const total = await page.evaluate(`${model("hx")}.data.top.reduce((a, b) => a + b, 0)`)
    assert.equal(total, 10)
    await finish("selection_histogram", page, errors)
  })

  it("crossfilter: changing a Select redraws the scatter with the new column", async () => {
    const { page, errors } = await open("crossfilter")
    const x0 = await page.evaluate(`${model("source")}.data.x[0]`)
    await page.locator("select").first().selectOption("weight")
    await page.waitForFunction(`${model("source")}.data.x[0] !== ${x0}`)
    await until_painted(page)
    await finish("crossfilter", page, errors)
  })

  it("themes: theme.yaml styles the plot; choosing a built-in theme restyles it live, and back", async () => {
    const { page, errors } = await open("themes")
    const background = `${model("plot")}.background_fill_color`
    assert.equal(await page.evaluate(background), "#FBF8F1")
    await page.locator("select").first().selectOption("dark_minimal")
    await page.waitForFunction(`${background} === "#20262B"`)
    await page.screenshot({ path: `${ARTIFACTS}/themes_dark_minimal.png` })
    await page.locator("select").first().selectOption("theme.yaml")
    await page.waitForFunction(`${background} === "#FBF8F1"`)
    await finish("themes", page, errors)
  })

  it("button: a click reaches the server handler, which adds points", async () => {
    const { page, errors } = await open("button")
    await page.getByRole("button", { name: "Update Plot" }).click()
    await page.waitForFunction(`${model("info")}.text === "clicks: 1"`)
    await finish("button", page, errors)
  })

  it("monitor: the 1 s periodic callback streams samples; the async button handler reports the gzipped size", async () => {
    const { page, errors } = await open("monitor")
    await page.waitForFunction(`${model("samples")}.data.t.length >= 2`)
    await page.getByRole("button", { name: "Gzip the samples" }).click()
    await page.waitForFunction(`/^\\d+ samples: \\d+ bytes of JSON, \\d+ gzipped$/.test(${model("result")}.text)`)
    await finish("monitor", page, errors)
  })

  it("message_counter: messages from two sessions bump one shared count", async () => {
    const a = await open("message_counter")
    const b = await open("message_counter")
    for (const [{ page }, text] of [
      [a, "hello"],
      [b, "world"],
    ] as const) {
      const input = page.locator("input[type=text]").first()
      await input.fill(text)
      await input.press("Enter")
    }
    await b.page.waitForFunction(`/Messages sent: [1-9]/.test(${model("count")}.text)`)
    const n = Number(((await b.page.evaluate(`${model("count")}.text`)) as string).replace(/\D/g, ""))
    assert.ok(n >= 2, `count ${n}`)
    await a.page.close()
    await finish("message_counter", b.page, [...a.errors, ...b.errors], false)
  })

  it("request_args: the Div shows the decoded query arguments", async () => {
    const { page, errors } = await open("request_args", "?N=10&name=Ada")
    const text = (await page.evaluate(`${model("args")}.text`)) as string
    assert.match(text, /"N":\["10"\]/)
    assert.match(text, /"name":\["Ada"\]/)
    await finish("request_args", page, errors, false)
  })

  it("lifecycle: the directory app uses its template, static file and lifecycle hooks", async () => {
    const { page, errors } = await open("lifecycle")
    assert.equal(await page.locator("header h1").textContent(), "A directory app")
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    assert.equal(bg, "rgb(250, 250, 250)")
    assert.match((await page.evaluate(`${model("info")}.text`)) as string, /server started \d{4}-.*session #\d+, \d+ open/)
    await page.getByRole("button", { name: "10 more steps" }).click()
    await page.waitForFunction(`${model("source")}.data.x.length === 11`)
    await finish("lifecycle", page, errors)
  })
})
