/**
 * HTTP hardening, side by side with Bokeh 3.9.2 (Tornado): every route answers 405 to the methods its
 * handler does not serve, HEAD never builds a session, peer-chosen session ids are escaped in log
 * lines, and an XSRF value of equal length but different byte length is a 403, not a 500.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { Application } from "../../../src/application/application.ts"
import { RequestHandler, type RequestWithBody } from "../../../src/server/request_handler.ts"
import { set_log_level, set_log_sink } from "../../../src/util/logging.ts"
import { parse_query_arguments } from "../../../src/util/request.ts"
import { repr } from "../../../src/util/repr.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { start_core, type TestServer } from "./helpers.ts"

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const

// What `python -m bokeh serve app.py` answers (Bokeh 3.9.2, Tornado), except OPTIONS on autoload.js:
// the CORS preflight, which Python answers with a 500 (its handler fails without an Origin header).
const EXPECTED: Array<[string, Partial<Record<(typeof METHODS)[number], number>>]> = [
  ["/", { GET: 302 }],
  ["/echo", { GET: 200 }],
  ["/echo/", { GET: 200 }],
  ["/echo/metadata", { GET: 200 }],
  ["/echo/autoload.js?bokeh-autoload-element=x", { GET: 200, OPTIONS: 200 }],
  ["/echo/ws", { GET: 400 }],
  ["/static/js/bokeh.min.js", { GET: 200, HEAD: 200 }],
  ["/favicon.ico", { GET: 200 }],
]

describe("HTTP methods per route", () => {
  let server: TestServer
  before(async () => {
    server = await start_core({ "/echo": new Application(echo_app) })
  })
  after(async () => {
    await server.stop()
  })

  it("each route serves Tornado's methods and answers 405 (with Allow) to the rest", async () => {
    for (const [path, ok] of EXPECTED) {
      for (const method of METHODS) {
        const res = await server.fetch(path, { method, redirect: "manual" })
        await res.arrayBuffer()
        assert.equal(res.status, ok[method] ?? 405, `${method} ${path}`)
        if (res.status === 405) assert.ok(res.headers.get("allow")?.includes("GET"), `${method} ${path} Allow`)
      }
    }
    assert.equal((await server.fetch("/nothing")).status, 404)
  })

  it("HEAD on an app page builds no session; GET does", async () => {
    const before_count = server.get_sessions("/echo").length
    const head = await server.fetch("/echo?bokeh-session-id=head-probe", { method: "HEAD" })
    assert.equal(head.status, 405)
    assert.equal(server.get_sessions("/echo").length, before_count)
    assert.equal(
      server.get_sessions("/echo").some((s) => s.id === "head-probe"),
      false,
    )
    await (await server.fetch("/echo?bokeh-session-id=get-probe")).text()
    assert.equal(
      server.get_sessions("/echo").some((s) => s.id === "get-probe"),
      true,
    )
  })

  it("a session id with a newline cannot forge a log line (logged as Python's %r)", async () => {
    const lines: string[] = []
    set_log_sink((line) => lines.push(line))
    set_log_level("info")
    try {
      const id = "abc\n2026-01-01 00:00:00,000 FORGED admin logged in\u2028\x1b[31m"
      await (await server.fetch(`/echo?bokeh-session-id=${encodeURIComponent(id)}`)).text()
      const created = lines.filter((l) => l.includes("created"))
      assert.equal(created.length, 1, lines.join("|"))
      assert.ok(created[0]!.endsWith(`Session ${repr(id)} created`), created[0])
      assert.ok(created[0]!.includes(String.raw`'abc\n2026-01-01 00:00:00,000 FORGED admin logged in\u2028\x1b[31m'`))
      for (const line of lines) assert.doesNotMatch(line, /[\n\r\u2028\x1b]/)
    } finally {
      set_log_level("none")
      set_log_sink((line) => process.stderr.write(`${line}\n`))
    }
  })
})

describe("repr (Python's %r for log lines)", () => {
  it("quotes and escapes as Python does", () => {
    assert.equal(repr("abc"), "'abc'")
    assert.equal(repr("it's"), `"it's"`)
    assert.equal(repr(`'"`), String.raw`'\'"'`)
    assert.equal(repr("a\\b\tc\r\n\x00\x7f\x85"), String.raw`'a\\b\tc\r\n\x00\x7f\x85'`)
    assert.equal(repr("é漢😀"), "'é漢😀'")
    assert.equal(repr("\ud800x"), String.raw`'\ud800x'`)
  })
})

describe("XSRF check", () => {
  function post(cookie: string, given: string): RequestWithBody {
    const form = `_xsrf=${encodeURIComponent(given)}`
    return {
      method: "POST",
      uri: "/f",
      path: "/f",
      query: "",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      cookies: { _xsrf: cookie },
      arguments: parse_query_arguments(""),
      remote_ip: "127.0.0.1",
      protocol: "http",
      host: "localhost:5006",
      body: Buffer.from(form),
    }
  }
  class H extends RequestHandler {
    post(): void {
      this.write("posted")
    }
  }
  const settings = { cookie_secret: null, xsrf_cookies: true }

  it("a value of the cookie's length but another byte length is a 403, not a 500", async () => {
    const cookie = "0123456789abcdef0123456789abcdef"
    const res = await new H(post(cookie, `${cookie.slice(0, 31)}é`), settings).execute()
    assert.equal(res.status, 403)
    assert.equal((await new H(post(cookie, cookie), settings).execute()).body, "posted")
  })
})
