import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { Application } from "../../../src/application/application.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { inject, start_core, type TestServer } from "./helpers.ts"
import { get_token_payload } from "../../../src/util/token.ts"

describe("server HTTP routes", () => {
  let server: TestServer
  before(async () => {
    server = await start_core({ "/echo": new Application(echo_app, { metadata: { hello: "world" } }), "/other": echo_app }, { prefix: "foo/" })
  })
  after(async () => {
    await server.stop()
  })

  it("the app page embeds a token carrying the arguments (not headers or cookies: the upgrade has its own), and a div per root", async () => {
    const res = await server.fetch("/foo/echo?N=10", { headers: { Cookie: "mycookie=abc" } })
    assert.equal(res.status, 200)
    const page = await res.text()
    assert.match(page, /<title>Echo<\/title>/)
    assert.match(page, /src="\/foo\/static\/js\/bokeh\.min\.js\?v=[0-9a-f]{128}"/)
    assert.match(page, /Bokeh\.set_log_level\("info"\)/)
    assert.equal([...page.matchAll(/data-root-id="/g)].length, 2)
    const token = /"token":"([^"]+)"/.exec(page)![1]!
    const payload = get_token_payload(token)
    assert.equal(payload["cookies"], undefined)
    assert.equal(payload["headers"], undefined)
    assert.equal(Buffer.from((payload["arguments"] as Record<string, Uint8Array[]>)["N"]![0]!).toString(), "10")
    // The websocket of that page joins the same session, which shows the page's arguments.
    const c = await server.connect("/foo/echo", { token })
    await c.ack()
    const doc = JSON.stringify((await c.request("PULL-DOC-REQ", {})).content)
    assert.match(doc, /"text":"N=10"/)
    c.close()
  })

  it("static files with cache headers and 304s", async () => {
    const page = await (await server.fetch("/foo/echo")).text()
    const src = /src="(\/foo\/static\/js\/bokeh\.min\.js\?v=[0-9a-f]+)"/.exec(page)![1]!
    const res = await server.fetch(src)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8")
    assert.match(res.headers.get("cache-control")!, /max-age=31536000/)
    const etag = res.headers.get("etag")!
    const again = await server.fetch(src, { headers: { "If-None-Match": etag } })
    assert.equal(again.status, 304)
    assert.equal((await server.fetch("/foo/static/../package.json")).status, 404)
    // fetch resolved the dot segment; sent as is (no client normalizing it), it is refused as a traversal.
    assert.equal((await inject(server.core, { path: "/foo/static/../package.json" })).status, 403)
  })

  it("metadata, favicon, index, autoload.js, 404s", async () => {
    assert.deepEqual(await (await server.fetch("/foo/echo/metadata")).json(), { url: "/echo", data: { hello: "world" } })
    const ico = await server.fetch("/favicon.ico")
    assert.equal(ico.headers.get("content-type"), "image/x-icon")
    const index = await (await server.fetch("/foo/")).text()
    assert.match(index, /href="\/foo\/echo"/)
    assert.match(index, /href="\/foo\/other"/)
    const auto = await server.fetch("/foo/echo/autoload.js?bokeh-autoload-element=el1&bokeh-app-path=/foo/echo")
    assert.equal(auto.status, 200)
    assert.equal(auto.headers.get("access-control-allow-origin"), "*")
    assert.match(await auto.text(), /"elementid":"el1"/)
    assert.equal((await server.fetch("/foo/echo/autoload.js")).status, 400)
    assert.equal((await server.fetch("/nope")).status, 404)
    assert.equal((await server.fetch("/echo")).status, 404)
  })

  it("a single app redirects from the root", async () => {
    const one = await start_core({ "/echo": echo_app })
    const res = await one.fetch("/", { redirect: "manual" })
    assert.equal(res.status, 302)
    assert.equal(res.headers.get("location"), "/echo")
    await one.stop()
  })
})
