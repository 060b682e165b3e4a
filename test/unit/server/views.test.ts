/**
 * The core's two adapter entry points, used in-process (no sockets): `handle(request)` routes to the
 * views (the index page escapes app names, the autoload.js preflight) and `upgrade(request)` decides
 * a websocket upgrade in Python's order: path, origin, authentication.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Application } from "../../../src/application/application.ts"
import type { Document } from "../../../src/document/document.ts"
import { Div } from "../../../src/models/main.ts"
import { AuthModule } from "../../../src/server/auth_provider.ts"
import { BokehServerCore } from "../../../src/server/core.ts"
import type { ServerOptions } from "../../../src/server/options.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { normalize_header_name, type HTTPRequest } from "../../../src/util/request.ts"

set_log_level((process.env["BOKEH_TEST_LOG"] as "info" | undefined) ?? "none")

function app(doc: Document): void {
  doc.add_root(new Div({ text: "hi" }))
}

function core_for(paths: readonly string[], options: ServerOptions = {}, origins: string[] = []): BokehServerCore {
  const apps = Object.fromEntries(paths.map((p) => [p, new Application(app)]))
  return new BokehServerCore(apps, { keep_alive_milliseconds: 0, sign_sessions: false, secret_key: null, ...options }, origins)
}

function request(method: string, uri: string, headers: Record<string, string> = {}): HTTPRequest {
  const url = new URL(uri, "http://localhost:5006")
  const normalized = Object.fromEntries(Object.entries({ Host: url.host, ...headers }).map(([k, v]) => [normalize_header_name(k), v]))
  return {
    method,
    uri,
    path: url.pathname,
    query: url.search.slice(1),
    headers: normalized,
    cookies: {},
    arguments: {},
    remote_ip: "127.0.0.1",
    protocol: "http",
    host: url.host,
  }
}

describe("server views through BokehServerCore.handle", () => {
  it("the index page escapes app names, so a name cannot inject markup", async () => {
    const core = core_for(["/<b>bold</b>", '/a"b&c'])
    const response = (await core.handle(request("GET", "/")))!
    assert.equal(response.status, 200)
    const body = String(response.body)
    assert.doesNotMatch(body, /<b>/)
    assert.match(body, /<a href="\/&#60;b&#62;bold&#60;\/b&#62;">\/&#60;b&#62;bold&#60;\/b&#62;<\/a>/)
    assert.match(body, /<a href="\/a&#34;b&#38;c">\/a&#34;b&#38;c<\/a>/)
  })

  it("answers the autoload.js CORS preflight (OPTIONS) and refuses OPTIONS elsewhere with 405", async () => {
    const core = core_for(["/app"])
    const preflight = (await core.handle(request("OPTIONS", "/app/autoload.js", { Origin: "https://example.org" })))!
    assert.equal(preflight.status, 200)
    assert.equal(preflight.headers["Access-Control-Allow-Origin"], "https://example.org")
    assert.equal(preflight.headers["Access-Control-Allow-Methods"], "PUT, GET, OPTIONS")
    const page = (await core.handle(request("OPTIONS", "/app")))!
    assert.equal(page.status, 405)
    assert.equal(page.headers["Allow"], "GET")
    assert.equal(await core.handle(request("GET", "/nothing/here")), null)
  })

  it("the old name handle_http still routes", async () => {
    const core = core_for(["/app"])
    const response = (await core.handle_http(request("GET", "/app/metadata")))!
    assert.deepEqual(JSON.parse(String(response.body)), { url: "/app", data: {} })
  })
})

describe("BokehServerCore.upgrade: path, origin, then authentication", () => {
  it("404 for a path that is no app's /ws, 403 for an Origin not allowed, accept with the app otherwise", async () => {
    const core = core_for(["/app"], {}, ["localhost:5006"])
    const missing = await core.upgrade(request("GET", "/other/ws"))
    assert.ok(!missing.accept && missing.response.status === 404)
    const foreign = await core.upgrade(request("GET", "/app/ws", { Origin: "https://evil.example" }))
    assert.ok(!foreign.accept && foreign.response.status === 403)
    const ok = await core.upgrade(request("GET", "/app/ws", { Origin: "http://localhost:5006" }))
    assert.ok(ok.accept && ok.app.url === "/app")
  })

  it("authentication runs after the origin check; a failing auth hook refuses with 500", async () => {
    let asked = 0
    const refusing = new AuthModule({
      get_user: () => {
        asked++
        return null
      },
      login_url: "/login",
    })
    const core = core_for(["/app"], { auth_provider: refusing }, ["localhost:5006"])
    const foreign = await core.upgrade(request("GET", "/app/ws", { Origin: "https://evil.example" }))
    assert.ok(!foreign.accept && foreign.response.status === 403)
    assert.equal(asked, 0, "no auth hook for a refused origin")
    const anonymous = await core.upgrade(request("GET", "/app/ws"))
    assert.ok(!anonymous.accept && anonymous.response.status === 403)
    assert.equal(asked, 1)
    const failing = new AuthModule({
      get_user: () => {
        throw new Error("boom")
      },
      login_url: "/login",
    })
    const broken = await core_for(["/app"], { auth_provider: failing }).upgrade(request("GET", "/app/ws"))
    assert.ok(!broken.accept && broken.response.status === 500)
  })
})
