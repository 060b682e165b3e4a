/**
 * Stock BokehJS in headless Chromium: one page clicks a button with a server-side handler and then
 * still sees the server's periodic updates (the click's PATCH-DOC must not silence its own page).
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { Browser } from "playwright-core"

import { click_ticker_app } from "../fixtures/apps/click_ticker_app.ts"
import { start_server } from "../unit/server/helpers.ts"
import type { Server } from "../../src/server/server.ts"
import { launch_browser } from "./helpers.ts"

declare const Bokeh: any

describe("a click does not silence the clicking page (headless Chromium)", () => {
  let server: Server
  let browser: Browser

  before(async () => {
    server = await start_server({ "/app": click_ticker_app }, { allow_websocket_origin: ["127.0.0.1:*"] })
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it("after clicking, the page keeps receiving periodic ticks", async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on("pageerror", (e) => errors.push(String(e)))
    await page.goto(`http://127.0.0.1:${server.port}/app`)
    await page.waitForFunction(() => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("ticks") !== null, null, { timeout: 15000 })
    await page.getByRole("button", { name: "click me" }).click()
    // The handler's change proves the click's PATCH-DOC was handled; ticks after that must still arrive.
    await page.waitForFunction(() => Bokeh.documents[0].get_model_by_name("clicks").text === "clicks: 1", null, { timeout: 5000 })
    const seen = Number(await page.evaluate(() => Bokeh.documents[0].get_model_by_name("ticks").text))
    await page.waitForFunction((seen) => Number(Bokeh.documents[0].get_model_by_name("ticks").text) >= seen + 2, seen, { timeout: 5000 })
    assert.deepEqual(errors, [])
    await page.close()
  })
})
