/** A server resolves the Bokeh settings once, at construction, and uses what it was given, not process.env per request. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { resolve_settings } from "../../../src/settings.ts"
import { start_core } from "./helpers.ts"

const app = (_doc: Document) => {}

describe("server settings", () => {
  it("pages follow the settings passed in (resources, BokehJS log level, favicon)", async () => {
    const settings = resolve_settings({ env: { BOKEH_RESOURCES: "cdn", BOKEH_LOG_LEVEL: "debug", BOKEH_ICO_PATH: "none" } })
    await using server = await start_core({ "/app": app }, { settings })
    const page = await (await server.fetch("/app")).text()
    assert.match(page, /https:\/\/cdn\.bokeh\.org\/bokeh\/release\/bokeh-/)
    assert.match(page, /Bokeh\.set_log_level\("debug"\)/)
    assert.equal((await server.fetch("/favicon.ico")).status, 404)
  })

  it("changing the environment after the server started changes nothing it serves", async () => {
    const saved = process.env["BOKEH_RESOURCES"]
    delete process.env["BOKEH_RESOURCES"]
    try {
      await using server = await start_core({ "/app": app })
      process.env["BOKEH_RESOURCES"] = "cdn"
      const page = await (await server.fetch("/app")).text()
      assert.doesNotMatch(page, /cdn\.bokeh\.org/)
    } finally {
      if (saved === undefined) delete process.env["BOKEH_RESOURCES"]
      else process.env["BOKEH_RESOURCES"] = saved
    }
  })

  it("the allowed_ws_origin setting replaces allow_websocket_origin, as in Python", async () => {
    const settings = resolve_settings({ env: { BOKEH_ALLOW_WS_ORIGIN: "good.example" } })
    await using server = await start_core({ "/app": app }, { settings, allow_websocket_origin: ["other.example"] })
    assert.deepEqual(server.core.websocket_origins, ["good.example:80"])
  })
})
