/** Static files: Content-Type from mime-db, and a file cache bounded by bytes (least recently used dropped first). */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"

import { serve_static, static_cache } from "../../../src/server/static_files.ts"

const plain = { version: undefined, if_none_match: undefined, if_modified_since: undefined, accept_encoding: undefined, compress: false }
const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-static-"))

describe("static files", () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("names the content type of kinds apps serve (wasm, webp, pdf), octet-stream when unknown", async () => {
    const expected: Record<string, string> = {
      "a.wasm": "application/wasm",
      "a.webp": "image/webp",
      "a.pdf": "application/pdf",
      "a.css": "text/css; charset=utf-8",
      "a.unknownkind": "application/octet-stream",
    }
    for (const [name, type] of Object.entries(expected)) {
      writeFileSync(join(dir, name), "x")
      const res = await serve_static(dir, name, plain)
      assert.equal(res.status, 200)
      assert.equal(res.headers?.["Content-Type"], type, name)
    }
  })

  it("the static cache never holds more than its byte budget", async () => {
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, `big${i}.bin`), Buffer.alloc(1024 * 1024))
    for (let i = 0; i < 4; i++) await serve_static(dir, `big${i}.bin`, plain)
    assert.ok(static_cache.calculatedSize <= static_cache.maxSize)
  })
})
