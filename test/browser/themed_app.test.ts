/**
 * A directory app with theme.yaml in stock BokehJS: the page's models carry the themed values (sent
 * with the document, as Python sends them), the app's own setting wins, and it renders without errors.
 */
import assert from "node:assert/strict"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { Application } from "../../src/application/application.ts"
import { DirectoryHandler } from "../../src/application/handlers/directory.ts"
import type { Server } from "../../src/server/server.ts"
import { start_server } from "../unit/server/helpers.ts"
import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

const apps = fileURLToPath(new URL("../fixtures/apps/", import.meta.url))

describe("a themed directory app in headless Chromium", () => {
  let server: Server
  let browser: TestBrowser
  before(async () => {
    server = await start_server(
      { "/themed_app": new Application(new DirectoryHandler({ filename: join(apps, "themed_app") })) },
      { allow_websocket_origin: ["127.0.0.1:*"] },
    )
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it("shows the theme's values, except the one the app set itself", async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on("pageerror", (e) => errors.push(String(e)))
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text())
    })
    await page.goto(`http://127.0.0.1:${server.port}/themed_app`)
    await page.waitForFunction(
      () => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("plot") !== null,
      null,
      { timeout: PAGE_TIMEOUT },
    )
    await page.waitForFunction(() => Bokeh.index !== undefined && Object.keys(Bokeh.index).length > 0)
    const seen = await page.evaluate(() => {
      const plot = Bokeh.documents[0].get_model_by_name("plot")
      const grid = plot.center.find((r: any) => r.constructor.name === "Grid")
      return {
        background: plot.background_fill_color,
        border: plot.border_fill_color,
        title_color: plot.title.text_color,
        title_size: plot.title.text_font_size,
        grid_dash: grid?.grid_line_dash,
      }
    })
    assert.deepEqual(seen, { background: "#2F2F2F", border: "#2F2F2F", title_color: "#00FF00", title_size: "20px", grid_dash: [6, 4] })
    const shot = await page.screenshot()
    assert.ok(shot.length > 5000, `screenshot looks blank (${shot.length} bytes)`)
    assert.deepEqual(errors, [])
    await page.close()
  })
})
