import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"

import { BOKEHJS_VERSION } from "../../../src/core/version.ts"
import { file_html } from "../../../src/embed/standalone.ts"
import { BOKEHJS_STATIC_DIR } from "../../../src/embed/resources.ts"
import { CDN, INLINE, Resources } from "../../../src/embed/standalone_resources.ts"
import { SRI_HASHES, SRI_VERSION, sri_hash } from "../../../src/embed/sri_hashes.ts"
import { Div, figure } from "../../../src/index.ts"
import { parse_page } from "./standalone_parse.ts"

describe("Resources for standalone output", () => {
  it("pins SRI hashes of exactly the installed BokehJS's bundles (recomputed from node_modules)", () => {
    assert.equal(SRI_VERSION, BOKEHJS_VERSION, "src/embed/sri_hashes.ts is for another BokehJS: recompute with sri_hash()")
    for (const name of ["bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables", "bokeh-mathjax"]) {
      const data = readFileSync(join(BOKEHJS_STATIC_DIR, "js", `${name}.min.js`))
      assert.equal(SRI_HASHES[`${name}-${BOKEHJS_VERSION}.min.js`], sri_hash(data), name)
    }
  })

  it("cdn: file_html references exactly the pinned version's CDN URLs, each with its SRI hash", () => {
    const p = figure()
    p.line({ x: [1, 2], y: [3, 4] })
    const page = parse_page(file_html(p, CDN))
    assert.ok(page.script_srcs.length > 0)
    assert.equal(page.script_srcs.length, page.integrity.length)
    page.script_srcs.forEach((src, i) => {
      const m = /^https:\/\/cdn\.bokeh\.org\/bokeh\/release\/(bokeh(?:-[a-z]+)?)-(\d+\.\d+\.\d+)\.min\.js$/.exec(src)
      assert.ok(m, src)
      assert.equal(m[2], BOKEHJS_VERSION)
      assert.equal(page.integrity[i], `sha384-${SRI_HASHES[`${m[1]}-${BOKEHJS_VERSION}.min.js`]}`)
    })
    assert.equal(page.script_srcs[0], `https://cdn.bokeh.org/bokeh/release/bokeh-${BOKEHJS_VERSION}.min.js`)
    assert.match(file_html(p, CDN), /crossorigin="anonymous"/)
  })

  it("inline: the bundles' code is in the page, no script is loaded", () => {
    const html = file_html(new Div({ text: "x" }), INLINE)
    assert.doesNotMatch(html, /<script[^>]* src=/)
    assert.ok(html.length > 1_000_000)
    assert.ok(html.includes(readFileSync(join(BOKEHJS_STATIC_DIR, "js", "bokeh.min.js"), "utf8").slice(0, 2000)))
    const scripts = [...html.matchAll(/<script[^>]*>/g)].length
    assert.equal([...html.matchAll(/<\/script>/g)].length, scripts)
  })

  it("server, relative and absolute give the package's files", () => {
    assert.deepEqual(
      new Resources({ mode: "server", root_url: "http://h:1/app" }).js_files(["bokeh"]).map((u) => u.replace(/\?v=.*/, "")),
      ["http://h:1/app/static/js/bokeh.min.js"],
    )
    assert.deepEqual(
      new Resources({ mode: "server" }).js_files(["bokeh"]).map((u) => u.replace(/\?v=.*/, "")),
      ["http://localhost:5006/static/js/bokeh.min.js"],
    )
    const rel = new Resources({ mode: "relative", root_dir: join(BOKEHJS_STATIC_DIR, "js", "x") }).js_files(["bokeh", "bokeh-widgets"])
    assert.deepEqual(rel, ["../bokeh.min.js", "../bokeh-widgets.min.js"])
    assert.deepEqual(new Resources("absolute").js_files(["bokeh"]), [join(BOKEHJS_STATIC_DIR, "js", "bokeh.min.js")])
  })

  it("rejects unknown modes and options of other modes with BK_ERR_EMBED", () => {
    assert.throws(() => new Resources({ mode: "nope" as "cdn" }), { code: "BK_ERR_EMBED" })
    assert.throws(() => new Resources({ mode: "cdn", root_dir: "/x" }), { code: "BK_ERR_EMBED" })
    assert.throws(() => Resources.build("inlined" as "inline"), { code: "BK_ERR_EMBED" })
  })

  it("build(): BOKEH_RESOURCES picks the default mode", () => {
    process.env["BOKEH_RESOURCES"] = "inline"
    try {
      assert.equal(Resources.build().mode, "inline")
    } finally {
      delete process.env["BOKEH_RESOURCES"]
    }
    assert.equal(Resources.build().mode, "cdn")
  })
})
