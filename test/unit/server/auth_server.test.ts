/**
 * A server with an auth module, HTTP and websockets through the in-process transport: anonymous page, autoload and metadata
 * requests go to the login page, the login form (with XSRF) sets the user cookie, the app then loads,
 * websockets need the cookie (403 without), static files stay public, and logout ends it.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { AuthModule } from "../../../src/server/auth_provider.ts"
import { create_signed_value } from "../../../src/server/secure_cookie.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { start_core, type TestServer } from "./helpers.ts"

const auth_module = fileURLToPath(new URL("../../fixtures/auth/auth.ts", import.meta.url))
const cookie_secret = "test cookie secret"

/** `name=value` pairs a response sets, for the next request's Cookie header. */
function cookies_of(res: Response): Record<string, string> {
  return Object.fromEntries(
    res.headers.getSetCookie().map((c) => {
      const pair = c.split(";")[0]!
      const eq = pair.indexOf("=")
      return [pair.slice(0, eq), pair.slice(eq + 1)]
    }),
  )
}
const cookie_header = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ")

describe("server with an auth module", () => {
  let server: TestServer
  before(async () => {
    server = await start_core({ "/echo": echo_app }, { auth_provider: await AuthModule.load(auth_module), cookie_secret, xsrf_cookies: true })
  })
  after(async () => {
    await server.stop()
  })

  it("anonymous requests for pages, autoload.js, metadata and the index go to the login page", async () => {
    for (const path of ["/echo?N=1", "/echo/autoload.js?bokeh-autoload-element=x", "/echo/metadata", "/"]) {
      const res = await server.fetch(`${path}`, { redirect: "manual" })
      assert.equal(res.status, 302, path)
      assert.equal(res.headers.get("location"), `/login?next=${encodeURIComponent(path)}`, path)
    }
    const js = await server.fetch("/static/js/bokeh.min.js")
    assert.equal(js.status, 200, "static files are public, as in Python")
  })

  it("logging in through the form (XSRF checked) lets the page and its websocket in; logout ends it", async () => {
    const form = await server.fetch("/login?next=%2Fecho")
    assert.equal(form.status, 200)
    const xsrf = cookies_of(form)["_xsrf"]!
    const post = (body: string, cookies: Record<string, string>) =>
      server.fetch("/login", {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie_header(cookies) },
        body,
      })
    assert.equal((await post(`username=alice&password=correct+horse&next=%2Fecho`, { _xsrf: xsrf })).status, 403, "no _xsrf in the form")
    assert.equal((await post(`_xsrf=${xsrf}&username=alice&password=wrong`, { _xsrf: xsrf })).status, 401)
    const ok = await post(`_xsrf=${xsrf}&username=alice&password=correct+horse&next=%2Fecho`, { _xsrf: xsrf })
    assert.equal(ok.status, 302)
    assert.equal(ok.headers.get("location"), "/echo")
    const user = cookies_of(ok)["user"]!
    const page = await server.fetch("/echo", { headers: { Cookie: cookie_header({ user }) } })
    assert.equal(page.status, 200)
    assert.match(await page.text(), /Bokeh/)

    await assert.rejects(server.connect("/echo"), /HTTP 403/)
    await assert.rejects(server.connect("/echo", { headers: { Cookie: `user=${create_signed_value("another secret", "user", "mallory")}` } }), /HTTP 403/)
    const c = await server.connect("/echo", { headers: { Cookie: cookie_header({ user }) } })
    await c.ack()
    const reply = await c.request("PULL-DOC-REQ", {})
    assert.equal(reply.header.msgtype, "PULL-DOC-REPLY")
    c.close()

    const out = await server.fetch("/logout", { redirect: "manual", headers: { Cookie: cookie_header({ user }) } })
    assert.equal(out.status, 302)
    assert.equal(cookies_of(out)["user"], "")
  })

  it("a POST larger than a login form is refused with 413 and the server keeps serving", async () => {
    const res = await server.fetch("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "x".repeat(2 * 1024 * 1024),
    })
    assert.equal(res.status, 413)
    assert.equal((await server.fetch("/login")).status, 200)
  })
})

describe("server with an async user hook", () => {
  it("get_user_async decides, and a throwing hook is a 500, not a crash", async () => {
    let fail = false
    const provider = new AuthModule({
      get_user_async: async (h) => {
        await new Promise((r) => setImmediate(r)) // answers in a later turn of the event loop, as a user service would
        if (fail) throw new Error("user service down")
        return h.get_cookie("token") === "let-me-in" ? "bob" : null
      },
      get_login_url: () => "https://sso.example.com/login",
    })
    const server = await start_core({ "/echo": echo_app }, { auth_provider: provider })
    try {
      const anon = await server.fetch("/echo", { redirect: "manual" })
      assert.equal(
        anon.headers.get("location"),
        `https://sso.example.com/login?next=${encodeURIComponent(`${server.base}/echo`)}`,
        "absolute login URLs get an absolute next",
      )
      assert.equal((await server.fetch("/echo", { headers: { Cookie: "token=let-me-in" } })).status, 200)
      const c = await server.connect("/echo", { headers: { Cookie: "token=let-me-in" } })
      await c.ack()
      c.close()
      fail = true
      assert.equal((await server.fetch("/echo", { headers: { Cookie: "token=let-me-in" } })).status, 500)
      await assert.rejects(server.connect("/echo", { headers: { Cookie: "token=let-me-in" } }), /HTTP 500/)
      fail = false
      assert.equal((await server.fetch("/echo", { headers: { Cookie: "token=let-me-in" } })).status, 200)
    } finally {
      await server.stop()
    }
  })
})
