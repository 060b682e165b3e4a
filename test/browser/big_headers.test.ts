/**
 * A page with ~8 KB of cookies and ~10 KB of query arguments (corporate SSO) connects in a real
 * browser: stock BokehJS opens the websocket with the same cookies and query string plus the token.
 */
import assert from "node:assert/strict"
import { randomBytes } from "node:crypto"
import { after, before, describe, it } from "node:test"

import type { Document } from "../../src/document/document.ts"
import { Div } from "../../src/models/main.ts"
import type { Server } from "../../src/server/server.ts"
import { start_server } from "../unit/server/helpers.ts"
import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

function app(doc: Document): void {
  const request = doc.session_context!.request
  const total = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0)
  const args = total(Object.values(request.arguments).map((v) => v[0]!.length))
  const cookies = total(Object.values(request.cookies).map((v) => v.length))
  doc.add_root(new Div({ id: "out", name: "out", text: `args=${args} cookies=${cookies}` }))
}

const KB = 1024
const noise = (n: number) => randomBytes(n).toString("base64url").slice(0, n)

describe("big cookie jars and query strings in headless Chromium", () => {
  let server: Server
  let browser: TestBrowser
  before(async () => {
    server = await start_server({ "/app": app }, { allow_websocket_origin: ["127.0.0.1:*"] })
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it("~8 KB of cookies and ~10 KB of query arguments: the app connects and sees them all", async () => {
    const context = await browser.newContext()
    const url = `http://127.0.0.1:${server.port}/app`
    await context.addCookies(Array.from({ length: 8 }, (_, i) => ({ name: `sso${i}`, value: noise(KB), url })))
    const page = await context.newPage()
    const query = Array.from({ length: 10 }, (_, i) => `arg${i}=${noise(KB)}`).join("&")
    const upgrades: number[] = []
    page.on("websocket", () => upgrades.push(1))
    await page.goto(`${url}?${query}`)
    await page.waitForFunction(() => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_id("out") !== null, null, {
      timeout: PAGE_TIMEOUT,
    })
    assert.equal(await page.evaluate(() => Bokeh.documents[0].get_model_by_id("out").text), `args=${10 * KB} cookies=${8 * KB}`)
    assert.equal(upgrades.length, 1)
    await context.close()
  })
})
