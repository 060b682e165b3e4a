import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { request, type IncomingHttpHeaders } from "node:http"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { brotliDecompressSync, gunzipSync } from "node:zlib"

import { BOKEHJS_STATIC_DIR } from "../../../src/embed/resources.ts"
import { negotiate_encoding } from "../../../src/server/compression.ts"
import type { Server } from "../../../src/server/server.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { start_server } from "./helpers.ts"

interface Raw {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A GET (or HEAD) whose body is the raw bytes on the wire: no decompression. */
function raw_get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on("error", reject)
    })
      .on("error", reject)
      .end()
  })
}

function decode(res: Raw): Buffer {
  const encoding = res.headers["content-encoding"]
  if (encoding === "br") return brotliDecompressSync(res.body)
  if (encoding === "gzip") return gunzipSync(res.body)
  assert.equal(encoding, undefined)
  return res.body
}

const BUNDLES = ["bokeh", "bokeh-widgets", "bokeh-tables", "bokeh-gl", "bokeh-mathjax"]

describe("compression and caching of static files and pages", () => {
  let server: Server
  let base: string
  let bundle_urls: Map<string, string>
  before(async () => {
    server = await start_server({ "/echo": echo_app }, { prefix: "pre" })
    base = `http://127.0.0.1:${server.port}`
    // Hashed URLs as pages name them (the echo page loads bokeh and bokeh-widgets; the rest are its loader's).
    const page = (await raw_get(`${base}/pre/echo`)).body.toString()
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
        const res = await raw_get(`${base}${bundle_urls.get(name)!}`, { "Accept-Encoding": encoding === "br" ? "gzip, deflate, br" : "gzip, deflate" })
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
    const url = `${base}${bundle_urls.get("bokeh-widgets")!}`
    const plain = await raw_get(url)
    assert.equal(plain.headers["content-encoding"], undefined)
    assert.equal(plain.headers["vary"], "Accept-Encoding")
    assert.ok(plain.body.equals(readFileSync(join(BOKEHJS_STATIC_DIR, "js/bokeh-widgets.min.js"))))
    const get = await raw_get(url, { "Accept-Encoding": "br" })
    const head = await raw_get(url, { "Accept-Encoding": "br" }, "HEAD")
    assert.equal(head.body.byteLength, 0)
    assert.equal(head.headers["content-encoding"], "br")
    assert.equal(head.headers["content-length"], get.headers["content-length"])
    assert.equal(head.headers["etag"], get.headers["etag"])
  })

  it("immutable only on a hashed URL; otherwise no-cache with validators", async () => {
    const hashed = await raw_get(`${base}${bundle_urls.get("bokeh")!}`, { "Accept-Encoding": "br" })
    assert.equal(hashed.headers["cache-control"], "max-age=31536000, public, immutable")
    for (const path of ["/pre/static/js/bokeh.min.js", "/pre/static/js/bokeh.min.js?v=0123", "/pre/static/js/lib/version.js"]) {
      const res = await raw_get(`${base}${path}`, { "Accept-Encoding": "br" })
      assert.equal(res.status, 200, path)
      assert.equal(res.headers["cache-control"], "no-cache", path)
      assert.match(res.headers["etag"] ?? "", /^"[0-9a-f]{40}(-br)?"$/, path)
      assert.ok(!Number.isNaN(Date.parse(res.headers["last-modified"] ?? "")), path)
    }
  })

  it("answers 304 to a current If-None-Match (any form's ETag) or If-Modified-Since, 200 otherwise", async () => {
    const url = `${base}/pre/static/js/bokeh-gl.min.js`
    const br = await raw_get(url, { "Accept-Encoding": "br" })
    const gz = await raw_get(url, { "Accept-Encoding": "gzip" })
    const plain = await raw_get(url)
    const etags = [br, gz, plain].map((r) => r.headers["etag"]!)
    assert.equal(new Set(etags).size, 3, "each form has its own ETag")
    for (const etag of etags) {
      const again = await raw_get(url, { "Accept-Encoding": "br", "If-None-Match": etag })
      assert.equal(again.status, 304)
      assert.equal(again.body.byteLength, 0)
      assert.equal(again.headers["etag"], br.headers["etag"])
      assert.equal(again.headers["cache-control"], "no-cache")
    }
    assert.equal((await raw_get(url, { "If-None-Match": `W/${etags[2]!}` })).status, 304)
    assert.equal((await raw_get(url, { "If-None-Match": '"0000", "1111"' })).status, 200)
    const modified = plain.headers["last-modified"]!
    assert.equal((await raw_get(url, { "If-Modified-Since": modified })).status, 304)
    assert.equal((await raw_get(url, { "If-Modified-Since": new Date(Date.parse(modified) - 1000).toUTCString() })).status, 200)
    // If-None-Match wins over If-Modified-Since.
    assert.equal((await raw_get(url, { "If-None-Match": '"0000"', "If-Modified-Since": modified })).status, 200)
  })

  it("the app page and autoload.js are compressed per request and decode to a working document", async () => {
    for (const encoding of ["br", "gzip"]) {
      const page = await raw_get(`${base}/pre/echo`, { "Accept-Encoding": encoding })
      assert.equal(page.headers["content-encoding"], encoding)
      assert.equal(page.headers["vary"], "Accept-Encoding")
      assert.match(decode(page).toString(), /<title>Echo<\/title>/)
      const auto = await raw_get(`${base}/pre/echo/autoload.js?bokeh-autoload-element=el1`, { "Accept-Encoding": encoding })
      assert.equal(auto.headers["content-encoding"], encoding)
      assert.match(decode(auto).toString(), /"elementid":"el1"/)
    }
    const plain = await raw_get(`${base}/pre/echo`)
    assert.equal(plain.headers["content-encoding"], undefined)
    assert.match(plain.body.toString(), /<title>Echo<\/title>/)
  })

  it("BOKEH_COMPRESS=no turns compression off; a value that is not a boolean is a ConfigError", async () => {
    const saved = process.env["BOKEH_COMPRESS"]
    try {
      process.env["BOKEH_COMPRESS"] = "sometimes"
      await assert.rejects(start_server({ "/echo": echo_app }), /BOKEH_COMPRESS: expected yes\/no/)
      process.env["BOKEH_COMPRESS"] = "no"
      const off = await start_server({ "/echo": echo_app })
      try {
        const page = await raw_get(`http://127.0.0.1:${off.port}/echo`, { "Accept-Encoding": "br" })
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
    const off = await start_server({ "/echo": echo_app }, { compress: false })
    try {
      const url = `http://127.0.0.1:${off.port}`
      const page = await raw_get(`${url}/echo`, { "Accept-Encoding": "gzip, br" })
      assert.equal(page.headers["content-encoding"], undefined)
      const src = /src="(\/static\/js\/bokeh\.min\.js\?v=[0-9a-f]+)"/.exec(page.body.toString())![1]!
      const js = await raw_get(`${url}${src}`, { "Accept-Encoding": "gzip, br" })
      assert.equal(js.headers["content-encoding"], undefined)
      assert.equal(js.headers["cache-control"], "max-age=31536000, public, immutable")
      assert.ok(js.body.equals(readFileSync(join(BOKEHJS_STATIC_DIR, "js/bokeh.min.js"))))
    } finally {
      await off.stop()
    }
  })
})
