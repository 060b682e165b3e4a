/**
 * Auth building blocks: Tornado-compatible secure cookies, the RequestHandler auth modules are
 * written against (arguments, cookies, XSRF), AuthModule loading and validation, and the AuthGate
 * decisions (redirect to login with ?next=, 403, endpoints).
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { BokehError } from "../../../src/core/errors.ts"
import { AuthGate } from "../../../src/server/auth_gate.ts"
import { AuthModule, NullAuth } from "../../../src/server/auth_provider.ts"
import { RequestHandler, type RequestWithBody } from "../../../src/server/request_handler.ts"
import { create_signed_value, decode_signed_value } from "../../../src/server/secure_cookie.ts"
import { parse_cookies, parse_query_arguments } from "../../../src/util/request.ts"

const auth_module = fileURLToPath(new URL("../../fixtures/auth/auth.ts", import.meta.url))
const settings = { cookie_secret: "s3cret", xsrf_cookies: true }

function request(
  method: string,
  uri: string,
  options: { cookies?: Record<string, string>; form?: string; headers?: Record<string, string> } = {},
): RequestWithBody {
  const [path, query = ""] = uri.split("?") as [string, string?]
  const headers: Record<string, string> = { ...(options.form !== undefined ? { "Content-Type": "application/x-www-form-urlencoded" } : {}), ...options.headers }
  return {
    method,
    uri,
    path,
    query,
    headers,
    cookies: options.cookies ?? {},
    arguments: parse_query_arguments(query),
    remote_ip: "127.0.0.1",
    protocol: "http",
    host: "localhost:5006",
    body: Buffer.from(options.form ?? ""),
  }
}

/** The cookies a response sets, name → value. */
function set_cookies(headers: Record<string, string | string[]>): Record<string, string> {
  const list = headers["Set-Cookie"] ?? []
  return parse_cookies((Array.isArray(list) ? list : [list]).map((c) => c.split(";")[0]).join("; "))
}

const is_config_error = (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_OPTION"
const is_misuse = (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_MISUSE"

describe("secure cookies (Tornado v2 format)", () => {
  it("match Tornado's known value and decode back", () => {
    const signed = create_signed_value("It's a secret to everybody", "key", "value", 1300000000)
    assert.equal(signed, "2|1:0|10:1300000000|3:key|8:dmFsdWU=|3d4e60b996ff9c5d5788e333a0cba6f238a22c6c0f94788870e1a9ecd482e152")
    assert.equal(decode_signed_value("It's a secret to everybody", "key", signed, 31, 1300000000), "value")
  })

  it("refuse tampering, other names, other secrets, old cookies and garbage", () => {
    const signed = create_signed_value("k", "user", "alice")
    assert.equal(decode_signed_value("k", "user", signed), "alice")
    assert.equal(decode_signed_value("k", "user", signed.replace("YWxpY2U=", "Ym9iYm9i")), null)
    assert.equal(decode_signed_value("k", "admin", signed), null)
    assert.equal(decode_signed_value("other", "user", signed), null)
    assert.equal(decode_signed_value("k", "user", create_signed_value("k", "user", "alice", 1000)), null)
    for (const junk of [undefined, "", "alice", "2|", "2|1:0|99:1|", `${signed}0`]) assert.equal(decode_signed_value("k", "user", junk), null, String(junk))
  })
})

describe("RequestHandler", () => {
  it("reads query and form arguments, answers 400 for a missing one and 405 for a missing method", async () => {
    class H extends RequestHandler {
      post(): void {
        this.write(`${this.get_argument("a")} ${this.get_arguments("b").join(",")} ${this.get_argument("c", "dflt")}`)
      }
    }
    const ok = await new H(request("POST", "/x?a=1&b=q", { form: "b=f1&b=f%202" }), { cookie_secret: null, xsrf_cookies: false }).execute()
    assert.equal(ok.body, "1 q,f1,f 2 dflt")
    const missing = await new H(request("POST", "/x", { form: "" }), { cookie_secret: null, xsrf_cookies: false }).execute()
    assert.equal(missing.status, 400)
    assert.match(String(missing.body), /Missing argument a/)
    assert.equal((await new H(request("GET", "/x"), settings).execute()).status, 405)
  })

  it("XSRF: POSTs must echo the _xsrf cookie when enabled", async () => {
    class H extends RequestHandler {
      get(): void {
        this.write(this.xsrf_form_html())
      }
      post(): void {
        this.write("posted")
      }
    }
    const form = await new H(request("GET", "/f"), settings).execute()
    const token = set_cookies(form.headers)["_xsrf"]!
    assert.match(String(form.body), new RegExp(`name="_xsrf" value="${token}"`))
    const cookies = { _xsrf: token }
    assert.equal((await new H(request("POST", "/f", { cookies, form: `_xsrf=${token}` }), settings).execute()).body, "posted")
    assert.equal((await new H(request("POST", "/f", { cookies, headers: { "X-Xsrftoken": token } }), settings).execute()).body, "posted")
    assert.equal((await new H(request("POST", "/f", { cookies, form: "x=1" }), settings).execute()).status, 403)
    assert.equal((await new H(request("POST", "/f", { cookies, form: "_xsrf=0123" }), settings).execute()).status, 403)
    assert.equal((await new H(request("POST", "/f", { form: `_xsrf=${token}` }), settings).execute()).status, 403)
  })

  it("cookie values that need encoding are refused, not mangled", async () => {
    class H extends RequestHandler {
      get(): void {
        this.set_cookie("greeting", "hello world; x")
      }
    }
    await assert.rejects(new H(request("GET", "/"), settings).execute(), is_misuse)
  })

  it("secure cookies without a cookie secret are a ConfigError", async () => {
    class H extends RequestHandler {
      get(): void {
        this.set_secure_cookie("user", "x")
      }
    }
    await assert.rejects(new H(request("GET", "/"), { cookie_secret: null, xsrf_cookies: false }).execute(), is_config_error)
  })
})

describe("AuthModule and AuthGate", () => {
  it("loads a .ts auth module; anonymous page requests go to login with ?next=, upgrades get 403", async () => {
    const provider = await AuthModule.load(auth_module)
    assert.equal(provider.enabled, true)
    assert.deepEqual(
      provider.endpoints.map(([url]) => url),
      ["/login", "/logout"],
    )
    const gate = new AuthGate(provider, settings)
    const anonymous = await gate.check(request("GET", "/app?N=1"))
    assert.equal(anonymous?.status, 302)
    assert.equal(anonymous?.headers["Location"], `/login?next=${encodeURIComponent("/app?N=1")}`)
    assert.equal((await gate.check(request("GET", "/app/ws"), false))?.status, 403)
    assert.equal((await gate.check(request("POST", "/app")))?.status, 403)
    const user = { user: create_signed_value("s3cret", "user", "alice") }
    assert.equal(await gate.check(request("GET", "/app", { cookies: user })), null)
    assert.equal((await gate.check(request("GET", "/app", { cookies: { user: create_signed_value("forged", "user", "alice") } })))?.status, 302)
  })

  it("the login endpoint sets the user cookie on the right password (XSRF checked), logout clears it", async () => {
    const gate = new AuthGate(await AuthModule.load(auth_module), settings)
    assert.equal(await gate.serve_endpoint(request("GET", "/elsewhere")), null)
    const page = (await gate.serve_endpoint(request("GET", "/login?next=%2Fapp")))!
    const xsrf = set_cookies(page.headers)["_xsrf"]!
    assert.match(String(page.body), /value="\/app"/)
    const wrong = (await gate.serve_endpoint(request("POST", "/login", { cookies: { _xsrf: xsrf }, form: `_xsrf=${xsrf}&username=alice&password=nope` })))!
    assert.equal(wrong.status, 401)
    const right = (await gate.serve_endpoint(
      request("POST", "/login", { cookies: { _xsrf: xsrf }, form: `_xsrf=${xsrf}&username=alice&password=correct+horse&next=%2Fapp` }),
    ))!
    assert.equal(right.status, 302)
    assert.equal(right.headers["Location"], "/app")
    const cookie = set_cookies(right.headers)["user"]!
    assert.equal(decode_signed_value("s3cret", "user", cookie), "alice")
    const out = (await gate.serve_endpoint(request("GET", "/logout", { cookies: { user: cookie } })))!
    assert.match(String((out.headers["Set-Cookie"] as string[])[0]), /^user=; .*Expires=Thu, 01 Jan 1970/)
  })

  it("invalid hook combinations and missing files are ConfigErrors; NullAuth allows everything", async () => {
    const get_user = () => null
    assert.throws(() => new AuthModule({ get_user }), is_config_error, "a user hook needs a login URL")
    assert.throws(() => new AuthModule({ get_user, get_user_async: async () => null, login_url: "/l" }), is_config_error)
    assert.throws(() => new AuthModule({ get_user, login_url: "/l", get_login_url: () => "/m" }), is_config_error)
    assert.throws(() => new AuthModule({ get_user, logout_url: "https://elsewhere/logout", LogoutHandler: RequestHandler, login_url: "/l" }), is_config_error)
    assert.throws(() => new AuthModule({ get_user: "alice" as unknown as () => null, login_url: "/l" }), is_config_error)
    await assert.rejects(AuthModule.load("/nonexistent/auth.ts"), is_config_error)
    const open = new AuthGate(new NullAuth())
    assert.equal(open.enabled, false)
    assert.equal(await open.check(request("GET", "/app")), null)
  })
})
