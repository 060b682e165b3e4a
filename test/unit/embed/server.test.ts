import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { ClientError, ConfigError, TokenError } from "../../../src/core/errors.ts"
import { server_document, server_session } from "../../../src/embed/server.ts"

function src_of(tag: string): string {
  return /xhr\.open\('GET', "([^"]*)", true\)/.exec(tag)![1]!
}
function id_of(tag: string): string {
  return /^<script id="([^"]+)">/.exec(tag)![1]!
}

describe("server_document", () => {
  it("builds the autoload URL with app path, absolute url and quote_plus'd arguments", () => {
    const tag = server_document("http://localhost:5006/sliders/", { arguments: { N: "10", "bokeh-x": "dropped", "a b": "c&d/é" } })
    const id = id_of(tag)
    assert.match(id, /^[a-z][0-9a-z-]*$/i)
    assert.equal(
      src_of(tag),
      `http://localhost:5006/sliders/autoload.js?bokeh-autoload-element=${id}&bokeh-app-path=/sliders&bokeh-absolute-url=http://localhost:5006/sliders&N=10&a+b=c%26d%2F%C3%A9`,
    )
    assert.match(tag, /xhr\.withCredentials = false;/)
    assert.doesNotMatch(tag, /setRequestHeader/)
    assert.match(tag, /xhr\.responseType = 'blob';/)
    assert.match(tag, /URL\.createObjectURL\(event\.target\.response\)/)
  })

  it("omits the app path at /, the absolute url with relative_urls, and adds resources=none", () => {
    const tag = server_document("http://h:5006", { relative_urls: true, resources: null })
    assert.equal(src_of(tag), `http://h:5006/autoload.js?bokeh-autoload-element=${id_of(tag)}&resources=none`)
  })

  it("resolves 'default' (env aware) and rejects websocket URLs", () => {
    const tag = server_document()
    assert.ok(src_of(tag).startsWith("http://localhost:5006/autoload.js?bokeh-autoload-element="))
    process.env["BOKEH_DEFAULT_SERVER_PORT"] = "7000"
    try {
      assert.ok(src_of(server_document("default")).startsWith("http://localhost:7000/autoload.js"))
    } finally {
      delete process.env["BOKEH_DEFAULT_SERVER_PORT"]
    }
    assert.throws(
      () => server_document("ws://h:5006/app"),
      (e: unknown) => e instanceof ClientError && e.code === "BK_ERR_BAD_URL",
    )
  })

  it("sets headers or credentials, not both", () => {
    const tag = server_document("http://h/app", { headers: { "X-Token": "abc" } })
    assert.match(tag, /xhr\.setRequestHeader\("X-Token", "abc"\)/)
    assert.match(server_document("http://h/app", { with_credentials: true }), /xhr\.withCredentials = true;/)
    assert.throws(
      () => server_document("http://h/app", { headers: { a: "b" }, with_credentials: true }),
      (e: unknown) => e instanceof ConfigError && e.code === "BK_ERR_OPTION",
    )
  })

  it("can't be broken out of by values containing </script>", () => {
    const tag = server_document("http://h/app", { headers: { x: "</script><script>alert(1)</script>" } })
    assert.equal(tag.match(/<\/script>/g)!.length, 1)
  })

  it("gives every tag a fresh element id", () => {
    assert.notEqual(id_of(server_document("http://h/app")), id_of(server_document("http://h/app")))
  })
})

describe("server_session", () => {
  it("sends Bokeh-Session-Id and no arguments", () => {
    const tag = server_session({ session_id: "abc.def", url: "http://localhost:5006/app", headers: { "X-A": "1" } })
    assert.equal(
      src_of(tag),
      `http://localhost:5006/app/autoload.js?bokeh-autoload-element=${id_of(tag)}&bokeh-app-path=/app&bokeh-absolute-url=http://localhost:5006/app`,
    )
    assert.match(tag, /xhr\.setRequestHeader\("X-A", "1"\)\n\s*xhr\.setRequestHeader\("Bokeh-Session-Id", "abc\.def"\)/)
  })

  it("needs a session id", () => {
    assert.throws(
      () => server_session({ session_id: "" }),
      (e: unknown) => e instanceof TokenError && e.code === "BK_ERR_NO_SESSION_ID",
    )
  })
})
