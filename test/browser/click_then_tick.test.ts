/**
 * Stock BokehJS in headless Chromium: one page clicks a button with a server-side handler and then
 * still sees the server's periodic updates (the click's PATCH-DOC must not silence its own page).
 */
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { after, before, describe, it } from "node:test"

import { click_ticker_app } from "../fixtures/apps/click_ticker_app.ts"
import { start_server } from "../unit/server/helpers.ts"
import { Button, Column, Div } from "../../src/models/main.ts"
import type { Document } from "../../src/document/document.ts"
import type { Server } from "../../src/server/server.ts"
import { set_log_level, set_log_sink } from "../../src/util/logging.ts"
import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

/** A button whose server handler throws, and ticks from a periodic callback. */
function failing_click_app(doc: Document): void {
  const button = new Button({ name: "button", label: "fail" })
  const ticks = new Div({ name: "ticks", text: "0" })
  button.on_click(function on_fail_click() {
    throw new Error("click handler failed") // the log must name this file and line
  })
  let t = 0
  doc.add_periodic_callback(() => {
    ticks.text = String(++t)
  }, 50)
  doc.add_root(new Column({ children: [button, ticks] }))
}

// Two apps, a page each: side by side.
describe("a click does not silence the clicking page (headless Chromium)", { concurrency: true }, () => {
  let server: Server
  let browser: TestBrowser

  before(async () => {
    server = await start_server({ "/app": click_ticker_app, "/failing": failing_click_app }, { allow_websocket_origin: ["127.0.0.1:*"] })
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
    await page.waitForFunction(
      () => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("ticks") !== null,
      null,
      { timeout: PAGE_TIMEOUT },
    )
    await page.getByRole("button", { name: "click me" }).click()
    // The handler's change proves the click's PATCH-DOC was handled; ticks after that must still arrive.
    await page.waitForFunction(() => Bokeh.documents[0].get_model_by_name("clicks").text === "clicks: 1", null, { timeout: PAGE_TIMEOUT })
    const seen = Number(await page.evaluate(() => Bokeh.documents[0].get_model_by_name("ticks").text))
    await page.waitForFunction((seen) => Number(Bokeh.documents[0].get_model_by_name("ticks").text) >= seen + 2, seen, { timeout: PAGE_TIMEOUT })
    assert.deepEqual(errors, [])
    await page.close()
  })

  it("a click whose server handler throws is logged on the server; the page keeps receiving ticks", async () => {
    const lines: string[] = []
    set_log_level("error")
    set_log_sink((line) => lines.push(line))
    try {
      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${server.port}/failing`)
      await page.waitForFunction(
        () => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("ticks") !== null,
        null,
        { timeout: PAGE_TIMEOUT },
      )
      await page.getByRole("button", { name: "fail" }).click()
      const seen = Number(await page.evaluate(() => Bokeh.documents[0].get_model_by_name("ticks").text))
      await page.waitForFunction((seen) => Number(Bokeh.documents[0].get_model_by_name("ticks").text) >= seen + 2, seen, { timeout: PAGE_TIMEOUT })
      const session_id = server.core.application_contexts.find((a) => a.url === "/failing")!.sessions[0]!.id
      const line = lines.find((l) => l.includes("click handler failed"))
      assert.ok(line !== undefined, "the handler's failure is in the server log")
      const throw_line =
        readFileSync(fileURLToPath(import.meta.url), "utf8")
          .split("\n")
          .findIndex((l) => l.includes('throw new Error("click handler failed")')) + 1
      assert.match(
        line,
        new RegExp(
          `error handling message PATCH-DOC in session '${session_id}': on_event\\('button_click'\\) callback on_fail_click of Button\\(id="[^"]+"\\): Error\\("click handler failed"\\)\\nError: click handler failed\\n\\s+at on_fail_click \\(.*click_then_tick\\.test\\.ts:${throw_line}:\\d+\\)$`,
        ),
      )
      await page.close()
    } finally {
      set_log_level("none")
    }
  })
})
