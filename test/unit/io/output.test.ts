import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, afterEach, describe, it } from "node:test"
import { pathToFileURL } from "node:url"

import { figure } from "../../../src/index.ts"
import { curdoc, current_output_file, output_file, reset_output, save, show } from "../../../src/io/index.ts"
import { parse_page } from "../embed/standalone_parse.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-io-"))
after(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => reset_output())

function plot() {
  const p = figure({ width: 200, height: 100 })
  p.line({ x: [1, 2], y: [3, 4] })
  return p
}

describe("output_file / save / show / reset_output", () => {
  it("save() writes the output_file with its title and resources", () => {
    const path = join(dir, "a.html")
    output_file(path, { title: "My plot", mode: "cdn" })
    const p = plot()
    assert.equal(save(p), path)
    const page = parse_page(readFileSync(path, "utf8"))
    assert.equal(page.title, "My plot")
    assert.ok(page.script_srcs[0]!.startsWith("https://cdn.bokeh.org/bokeh/release/bokeh-3.10."))
    const [doc] = Object.values(page.calls[0]!.docs_json)
    assert.equal((doc!["roots"] as Array<{ id: string }>)[0]!.id, p.id)
  })

  it("save() options win over output_file; mode relative points at the package's files from the file's folder", () => {
    output_file(join(dir, "b.html"), { mode: "relative" })
    const path = save(plot(), { filename: join(dir, "c.html"), title: "given" })
    assert.equal(path, join(dir, "c.html"))
    const page = parse_page(readFileSync(path, "utf8"))
    assert.equal(page.title, "given")
    assert.ok(
      page.script_srcs.every((s) => s.endsWith(".min.js") && !s.startsWith("/") && s.includes("@bokeh/bokehjs/build/js/")),
      page.script_srcs.join(),
    )
  })

  it("show() saves and opens the file's URL with the controller given", async () => {
    const path = join(dir, "shown.html")
    output_file(path)
    const opened: Array<[string, string]> = []
    const result = await show(plot(), { controller: { open: (url, o) => void opened.push([url, o.new]) } })
    assert.equal(result, path)
    assert.deepEqual(opened, [[pathToFileURL(path).href, "tab"]])
    assert.equal(parse_page(readFileSync(path, "utf8")).title, "Bokeh Plot")
  })

  it("show() with BOKEH_BROWSER=none opens nothing; a browser that can't start is logged and the file stays", async () => {
    output_file(join(dir, "none.html"))
    process.env["BOKEH_BROWSER"] = "none"
    try {
      assert.equal(await show(plot()), join(dir, "none.html"))
    } finally {
      delete process.env["BOKEH_BROWSER"]
    }
    const path = await show(plot(), { controller: { open: () => Promise.reject(new Error("no display")) } })
    assert.ok(readFileSync(path, "utf8").includes("<!DOCTYPE html>"))
  })

  it("reset_output() forgets the file and starts a new curdoc()", () => {
    output_file(join(dir, "x.html"))
    const before = curdoc()
    reset_output()
    assert.equal(current_output_file(), null)
    assert.notEqual(curdoc(), before)
  })

  it("output_file refuses an empty name", () => {
    assert.throws(() => output_file(""), { code: "BK_ERR_EMBED" })
  })
})
