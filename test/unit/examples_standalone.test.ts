/** The standalone examples run and write what they say (the export one is covered by test/browser/export.test.ts). */
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { after, describe, it } from "node:test"

import { parse_page } from "./embed/standalone_parse.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-examples-"))
after(() => rmSync(dir, { recursive: true, force: true }))

function run(example: string): void {
  const r = spawnSync(process.execPath, [resolve("node_modules/.bin/tsx"), resolve("examples/standalone", example)], { cwd: dir, encoding: "utf8" })
  assert.equal(r.status, 0, r.stderr)
}

describe("examples/standalone", () => {
  it("save.ts writes a self-contained page with the slider and the plot", () => {
    run("save.ts")
    const html = readFileSync(join(dir, "sine.html"), "utf8")
    assert.doesNotMatch(html, /<script[^>]* src=/)
    assert.match(html, /<title>Sine<\/title>/)
  })

  it("components.ts and json_item.ts write pages whose embedding names their plots", () => {
    run("components.ts")
    const page = parse_page(readFileSync(join(dir, "report.html"), "utf8"))
    assert.equal(page.divs.length, 2)
    assert.deepEqual(Object.values(page.calls[0]!.render_items[0]!["roots"] as object).sort(), page.divs.map((d) => d.id).sort())
    run("json_item.ts")
    const item = JSON.parse(readFileSync(join(dir, "item.json"), "utf8"))
    assert.equal(item.target_id, "myplot")
    assert.match(readFileSync(join(dir, "item.html"), "utf8"), /Bokeh\.embed\.embed_item\(/)
  })
})
