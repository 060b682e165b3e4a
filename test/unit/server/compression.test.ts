/** Compression and caching of static files and pages: what the node adapter writes, through `inject` (the HTTP body and headers are what is tested, not the socket). */
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { brotliDecompressSync, gunzipSync } from "node:zlib"

import { BOKEHJS_STATIC_DIR } from "../../../src/embed/resources.ts"
import { negotiate_encoding } from "../../../src/server/compression.ts"
import type { BokehServerCore } from "../../../src/server/core.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { inject, start_core, type InjectedResponse, type TestServer } from "./helpers.ts"

/** A GET (or HEAD) as the node adapter answers it: the body is the bytes that would go on the wire, not decompressed. */
function raw_get(core: BokehServerCore, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<InjectedResponse> {
  return inject(core, { method, path, headers })
}

function decode(res: InjectedResponse): Buffer {
  const encoding = res.headers["content-encoding"]
  if (encoding === "br") return brotliDecompressSync(res.body)
  if (encoding === "gzip") return gunzipSync(res.body)
  assert.equal(encoding, undefined)
  return res.body
}

const BUNDLES = ["bokeh", "bokeh-widgets", "bokeh-tables", "bokeh-gl", "bokeh-mathjax"]

describe("compression and caching of static files and pages", () => {
  let server: TestServer
  let bundle_urls: Map<string, string>
  before(async () => {
    server = await start_core({ "/echo": echo_app }, { prefix: "pre" })
    // Hashed URLs as pages name them (the echo page loads bokeh and bokeh-widgets; the rest are its loader's).
    const page = (await raw_get(server.core, "/pre/echo")).body.toString()
    bundle_urls = new Map(BUNDLES.map((name) => [name, new RegExp(`"(/pre/static/js/${name}\\.min\\.js\\?v=[0-9a-f]{128})"`).exec(page)![1]!]))
  })
  after(async () => {
    await server.stop()
  })

  it("negotiates brotli before gzip, honours q values and refusals", () => {
    assert.equal(negotiate_encoding(undefined), null)
    assert.equal(negotiate_encoding("gzip, deflate, br"), "br")
    assert.equal(negotiate_encoding("gzip, deflate"), "gzip")
    assert.equal(negotiate_encoding("br;q=0.5, gzip"), "gzip")
    assert.equal(negotiate_encoding("br;q=0, gzip;q=0"), null)
    assert.equal(negotiate_encoding("*"), "br")
    assert.equal(negotiate_encoding("*, br;q=0"), "gzip")
    assert.equal(negotiate_encoding("identity"), null)
    assert.equal(negotiate_encoding("x-gzip"), "gzip")
  })

  for (const encoding of ["br", "gzip"] as const) {
    it(`every bundle served ${encoding}-compressed decodes to the exact file, with Vary: Accept-Encoding`, async () => {
      for (const name of BUNDLES) {
        const res = await raw_get(server.core, bundle_urls.get(name)!, { "Accept-Encoding": encoding === "br" ? "gzip, deflate, br" : "gzip, deflate" })
        assert.equal(res.status, 200)
        assert.equal(res.headers["content-encoding"], encoding, name)
        assert.equal(res.headers["vary"], "Accept-Encoding")
        assert.equal(Number(res.headers["content-length"]), res.body.byteLength)
        const file = readFileSync(join(BOKEHJS_STATIC_DIR, `js/${name}.min.js`))
        assert.ok(res.body.byteLength < file.byteLength / 2, `${name}: ${res.body.byteLength} of ${file.byteLength}`)
        assert.ok(decode(res).equals(file), `${name} decodes to the file`)
      }
    })
  }

  it("a client that accepts no encoding gets the file itself, and HEAD the headers of what GET sends", async () => {
    const url = bundle_urls.get("bokeh-widgets")!
    const plain = await raw_get(server.core, url)
    assert.equal(plain.headers["content-encoding"], undefined)
    assert.equal(plain.headers["vary"], "Accept-Encoding")
    assert.ok(plain.body.equals(readFileSync(join(BOKEHJS_STATIC_DIR, "js/bokeh-widgets.min.js"))))
    const get = await raw_get(server.core, url, { "Accept-Encoding": "br" })
    const head = await raw_get(server.core, url, { "Accept-Encoding": "br" }, "HEAD")
    assert.equal(head.body.byteLength, 0)
    assert.equal(head.headers["content-encoding"], "br")
    assert.equal(head.headers["content-length"], get.headers["content-length"])
    assert.equal(head.headers["etag"], get.headers["etag"])
  })

  it("immutable only on a hashed URL; otherwise no-cache with validators", async () => {
    const hashed = await raw_get(server.core, bundle_urls.get("bokeh")!, { "Accept-Encoding": "br" })
    assert.equal(hashed.headers["cache-control"], "max-age=31536000, public, immutable")
    for (const path of ["/pre/static/js/bokeh.min.js", "/pre/static/js/bokeh.min.js?v=0123", "/pre/static/js/lib/version.js"]) {
      const res = await raw_get(server.core, path, { "Accept-Encoding": "br" })
      assert.equal(res.status, 200, path)
      assert.equal(res.headers["cache-control"], "no-cache", path)
      assert.match(res.headers["etag"] ?? "", /^"[0-9a-f]{40}(-br)?"$/, path)
      assert.ok(!Number.isNaN(Date.parse(res.headers["last-modified"] ?? "")), path)
    }
  })

  it("answers 304 to a current If-None-Match (any form's ETag) or If-Modified-Since, 200 otherwise", async () => {
    const url = "/pre/static/js/bokeh-gl.min.js"
    const br = await raw_get(server.core, url, { "Accept-Encoding": "br" })
    const gz = await raw_get(server.core, url, { "Accept-Encoding": "gzip" })
    const plain = await raw_get(server.core, url)
    const etags = [br, gz, plain].map((r) => r.headers["etag"]!)
    assert.equal(new Set(etags).size, 3, "each form has its own ETag")
    for (const etag of etags) {
      const again = await raw_get(server.core, url, { "Accept-Encoding": "br", "If-None-Match": etag })
      assert.equal(again.status, 304)
      assert.equal(again.body.byteLength, 0)
      assert.equal(again.headers["etag"], br.headers["etag"])
      assert.equal(again.headers["cache-control"], "no-cache")
    }
    assert.equal((await raw_get(server.core, url, { "If-None-Match": `W/${etags[2]!}` })).status, 304)
    assert.equal((await raw_get(server.core, url, { "If-None-Match": '"0000", "1111"' })).status, 200)
    const modified = plain.headers["last-modified"]!
    assert.equal((await raw_get(server.core, url, { "If-Modified-Since": modified })).status, 304)
    assert.equal((await raw_get(server.core, url, { "If-Modified-Since": new Date(Date.parse(modified) - 1000).toUTCString() })).status, 200)
    // If-None-Match wins over If-Modified-Since.
    assert.equal((await raw_get(server.core, url, { "If-None-Match": '"0000"', "If-Modified-Since": modified })).status, 200)
  })

  it("the app page and autoload.js are compressed per request and decode to a working document", async () => {
    for (const encoding of ["br", "gzip"]) {
      const page = await raw_get(server.core, "/pre/echo", { "Accept-Encoding": encoding })
      assert.equal(page.headers["content-encoding"], encoding)
      assert.equal(page.headers["vary"], "Accept-Encoding")
      assert.match(decode(page).toString(), /<title>Echo<\/title>/)
      const auto = await raw_get(server.core, "/pre/echo/autoload.js?bokeh-autoload-element=el1", { "Accept-Encoding": encoding })
      assert.equal(auto.headers["content-encoding"], encoding)
      assert.match(decode(auto).toString(), /"elementid":"el1"/)
    }
    const plain = await raw_get(server.core, "/pre/echo")
    assert.equal(plain.headers["content-encoding"], undefined)
    assert.match(plain.body.toString(), /<title>Echo<\/title>/)
  })

  it("BOKEH_COMPRESS=no turns compression off; a value that is not a boolean is a ConfigError", async () => {
    const saved = process.env["BOKEH_COMPRESS"]
    try {
      process.env["BOKEH_COMPRESS"] = "sometimes"
      await assert.rejects(start_core({ "/echo": echo_app }), /BOKEH_COMPRESS: expected yes\/no/)
      process.env["BOKEH_COMPRESS"] = "no"
      const off = await start_core({ "/echo": echo_app })
      try {
        const page = await raw_get(off.core, "/echo", { "Accept-Encoding": "br" })
        assert.equal(page.headers["content-encoding"], undefined)
      } finally {
        await off.stop()
      }
    } finally {
      if (saved === undefined) delete process.env["BOKEH_COMPRESS"]
      else process.env["BOKEH_COMPRESS"] = saved
    }
  })

  it("compress: false (--compress no) sends everything as it is", async () => {
    const off = await start_core({ "/echo": echo_app }, { compress: false })
    try {
      const page = await raw_get(off.core, "/echo", { "Accept-Encoding": "gzip, br" })
      assert.equal(page.headers["content-encoding"], undefined)
      const src = /src="(\/static\/js\/bokeh\.min\.js\?v=[0-9a-f]+)"/.exec(page.body.toString())![1]!
      const js = await raw_get(off.core, src, { "Accept-Encoding": "gzip, br" })
      assert.equal(js.headers["content-encoding"], undefined)
      assert.equal(js.headers["cache-control"], "max-age=31536000, public, immutable")
      assert.ok(js.body.equals(readFileSync(join(BOKEHJS_STATIC_DIR, "js/bokeh.min.js"))))
    } finally {
      await off.stop()
    }
  })
})
