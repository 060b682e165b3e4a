/**
 * What BokehJS does when the server closes a connection that fell too far behind (1013): it reconnects
 * and pulls the whole document, so changes made while it was cut off are in the page.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { stream_app } from "../fixtures/apps/stream_app.ts"
import { start_server } from "../unit/server/helpers.ts"
import type { Server } from "../../src/server/server.ts"
import { ServerCloseCodes } from "../../src/server/transport.ts"
import type { ColumnDataSource } from "../../src/models/main.ts"
import { launch_browser, type TestBrowser, RECORD_SOCKETS, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

describe("stock BokehJS after a 1013 close (headless Chromium)", () => {
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

  it("reconnects and pulls the document, with what changed while it was cut off", async () => {
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
    connection.close(ServerCloseCodes.TOO_FAR_BEHIND, "too far behind: reconnect and pull the document again")
    // Changed while the page is cut off: only a new PULL-DOC can bring these rows.
    await session.with_document_locked((doc) => {
      ;(doc.select_one({ name: "source" }) as ColumnDataSource).stream({ x: new Float64Array([1, 2, 3]), y: new Float64Array([2, 4, 6]) })
      doc.title = "after the close"
    })
    await page.waitForFunction(() => Bokeh.documents[0].get_model_by_name("source").data.x.length === 3, null, { timeout: PAGE_TIMEOUT })
    assert.deepEqual(await page.evaluate(() => Array.from(Bokeh.documents[0].get_model_by_name("source").data.y)), [2, 4, 6])
    assert.equal(await page.evaluate(() => (window as unknown as { __sockets: unknown[] }).__sockets.length), 2)
    // And the new connection gets patches as usual.
    await session.with_document_locked((doc) => {
      ;(doc.select_one({ name: "source" }) as ColumnDataSource).stream({ x: new Float64Array([4]), y: new Float64Array([8]) })
    })
    await page.waitForFunction(() => Bokeh.documents[0].get_model_by_name("source").data.x.length === 4, null, { timeout: PAGE_TIMEOUT })
    await page.close()
  })
})
