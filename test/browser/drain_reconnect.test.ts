/**
 * What stock BokehJS does with a drain's close (1001 "server is draining: reconnect"): it reconnects
 * with its token and pulls the document again (behind a balancer that lands on another backend; here the
 * same server, whose drain was only begun as far as closing the websockets).
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { stream_app } from "../fixtures/apps/stream_app.ts"
import { start_server } from "../unit/server/helpers.ts"
import type { Server } from "../../src/server/server.ts"
import { DRAINING_REASON } from "../../src/server/core.ts"
import { ServerCloseCodes } from "../../src/server/transport.ts"
import type { ColumnDataSource } from "../../src/models/main.ts"
import { launch_browser, type TestBrowser, RECORD_SOCKETS, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

describe("stock BokehJS after a drain's 1001 close (headless Chromium)", () => {
  let server: Server
  let browser: TestBrowser
  before(async () => {
    server = await start_server({ "/stream": stream_app }, { allow_websocket_origin: ["127.0.0.1:*"], keep_alive_milliseconds: 0 })
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it("reconnects at once and pulls the document", async () => {
    const page = await browser.newPage()
    await page.addInitScript(RECORD_SOCKETS)
    await page.goto(`http://127.0.0.1:${server.port}/stream`)
    await page.waitForFunction(
      () => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("source") !== null,
      null,
      { timeout: PAGE_TIMEOUT },
    )
    const [connection] = [...server.core.connections]
    assert.ok(connection)
    const session = connection.session
    connection.close(ServerCloseCodes.GOING_AWAY, DRAINING_REASON)
    await session.with_document_locked((doc) => {
      ;(doc.select_one({ name: "source" }) as ColumnDataSource).stream({ x: new Float64Array([1, 2]), y: new Float64Array([5, 6]) })
    })
    await page.waitForFunction(() => Bokeh.documents[0].get_model_by_name("source").data.x.length === 2, null, { timeout: PAGE_TIMEOUT })
    assert.deepEqual(await page.evaluate(() => Array.from(Bokeh.documents[0].get_model_by_name("source").data.y)), [5, 6])
    assert.equal(await page.evaluate(() => (window as unknown as { __sockets: unknown[] }).__sockets.length), 2)
    await page.close()
  })
})
