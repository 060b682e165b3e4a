/**
 * examples/embed_express end to end: a bokeh-ts Server with the example's app, the example's page
 * server on another port (so another origin), and headless Chromium loading the page. The embedded
 * session must render and show the per-request customization.
 */
import assert from "node:assert/strict"
import { mkdirSync } from "node:fs"
import type { Server as HttpServer } from "node:http"
import type { AddressInfo } from "node:net"
import { after, before, describe, it } from "node:test"

import { sliders_app, start_page } from "../../examples/embed_express/main.ts"
import type { Server } from "../../src/server/server.ts"
import { start_server } from "../unit/server/helpers.ts"
import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

// Each test requests its own customized session: side by side.
describe("examples/embed_express in headless Chromium", { concurrency: true }, () => {
  let server: Server
  let page_server: HttpServer
  let browser: TestBrowser
  let page_url: string

  before(async () => {
    // The page's port is only known once it listens, so allow any port on 127.0.0.1 (the page's host).
    server = await start_server({ "/sliders": sliders_app }, { allow_websocket_origin: ["127.0.0.1:*"] })
    page_server = await start_page(server.url_for("/sliders"), 0, "127.0.0.1")
    page_url = `http://127.0.0.1:${(page_server.address() as AddressInfo).port}/`
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (page_server ? page_server.close(() => resolve()) : resolve()))
    await server?.stop()
  })

  it("renders the embedded session with the request's customization and no console errors", async () => {
    const errors: string[] = []
    const page = await browser.newPage()
    page.on("console", (m) => {
      if (m.type() === "error" || /\[bokeh[^\]]*\].*(error|failed)/i.test(m.text())) errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(String(e)))
    const response = await page.goto(`${page_url}?name=Ada`)
    assert.equal(response?.status(), 200)
    await page.waitForFunction(
      () => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("label") !== null,
      null,
      { timeout: PAGE_TIMEOUT },
    )
    // The customization made through pull_session reached the session the browser loaded…
    assert.equal(await page.evaluate(() => Bokeh.documents[0].title()), "Sliders for Ada")
    assert.equal(await page.evaluate(() => Bokeh.documents[0].get_model_by_name("label").text), "Hello Ada, move the slider")
    // …and is rendered: the label's text and the slider's title are in the page.
    await page.getByText("Hello Ada, move the slider").waitFor({ timeout: PAGE_TIMEOUT })
    await page.getByText("frequency").first().waitFor({ timeout: PAGE_TIMEOUT })
    assert.ok((await page.locator(".noUi-handle").count()) >= 1, "the slider widget is not rendered")
    mkdirSync("test-artifacts", { recursive: true })
    const shot = await page.screenshot({ path: "test-artifacts/embed_example.png" })
    assert.ok(shot.length > 5000, `screenshot looks blank (${shot.length} bytes)`)
    // The embedded session is live: moving the slider runs the app's callback.
    await page.evaluate(() => {
      Bokeh.documents[0].get_model_by_name("freq").value = 2
    })
    await page.waitForFunction(() => Bokeh.documents[0].get_model_by_name("label").text === "frequency: 2", null, { timeout: PAGE_TIMEOUT })
    assert.deepEqual(errors, [])
    await page.close()
  })

  it("each request gets its own customized session", async () => {
    const page = await browser.newPage()
    await page.goto(`${page_url}?name=Grace`)
    await page.getByText("Hello Grace, move the slider").waitFor({ timeout: PAGE_TIMEOUT })
    assert.equal(await page.evaluate(() => Bokeh.documents[0].title()), "Sliders for Grace")
    await page.close()
  })
})
