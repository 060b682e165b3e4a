/** The compile cache: a second compilation of the same source comes from disk; a damaged entry is compiled again. */
import assert from "node:assert/strict"
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"

import { cached_transform, compile_cache_dir } from "../../../src/application/handlers/compile_cache.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-cache-test-"))
const saved = process.env["BOKEH_TS_CACHE_DIR"]
process.env["BOKEH_TS_CACHE_DIR"] = dir
after(() => {
  if (saved === undefined) delete process.env["BOKEH_TS_CACHE_DIR"]
  else process.env["BOKEH_TS_CACHE_DIR"] = saved
  rmSync(dir, { recursive: true, force: true })
})

describe("cached_transform", () => {
  it("stores a compilation under the hash of source and options and serves it from there", async () => {
    assert.equal(compile_cache_dir(), dir)
    const first = await cached_transform("const a: number = 1\n", { loader: "ts" })
    assert.equal(first.code, "const a = 1;\n")
    const entries = readdirSync(dir)
    assert.equal(entries.length, 1)
    // What the cache holds is what is served: change the entry and see it come back.
    writeFileSync(join(dir, entries[0]!), JSON.stringify({ code: "cached\n", map: "" }))
    assert.equal((await cached_transform("const a: number = 1\n", { loader: "ts" })).code, "cached\n")
    // Other options or another source: another entry.
    await cached_transform("const a: number = 1\n", { loader: "ts", minify: true })
    await cached_transform("const b: number = 2\n", { loader: "ts" })
    assert.equal(readdirSync(dir).length, 3)
  })

  it("compiles again when an entry is damaged", async () => {
    const source = "let c: string = 'x'\n"
    await cached_transform(source, { loader: "ts" })
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), "{ not json")
    assert.equal((await cached_transform(source, { loader: "ts" })).code, 'let c = "x";\n')
  })
})
