/** Static files: Content-Type from mime-db, and a file cache bounded by bytes (least recently used dropped first). */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"

import { ByteLRU } from "../../../src/server/byte_lru.ts"
import { serve_static, static_cache } from "../../../src/server/static_files.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-static-"))

describe("static files", () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("names the content type of kinds apps serve (wasm, webp, pdf), octet-stream when unknown", async () => {
    const expected: Record<string, string> = { "a.wasm": "application/wasm", "a.webp": "image/webp", "a.pdf": "application/pdf", "a.css": "text/css; charset=utf-8", "a.unknownkind": "application/octet-stream" }
    for (const [name, type] of Object.entries(expected)) {
      writeFileSync(join(dir, name), "x")
      const res = await serve_static(dir, name, undefined, undefined)
      assert.equal(res.status, 200)
      assert.equal(res.headers?.["Content-Type"], type, name)
    }
  })

  it("the static cache never holds more than its byte budget", async () => {
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, `big${i}.bin`), Buffer.alloc(1024 * 1024))
    for (let i = 0; i < 4; i++) await serve_static(dir, `big${i}.bin`, undefined, undefined)
    assert.ok(static_cache.bytes <= static_cache.max_bytes)
  })
})

describe("ByteLRU", () => {
  const entry = (n: number) => ({ data: new Uint8Array(n) })

  it("drops the least recently used entries to stay within max_bytes", () => {
    const lru = new ByteLRU<Uint8Array, { data: Uint8Array }>(10)
    lru.set("a", entry(4))
    lru.set("b", entry(4))
    assert.ok(lru.get("a") !== undefined, "a is now the most recently used")
    lru.set("c", entry(4))
    assert.equal(lru.get("b"), undefined, "b was the least recently used")
    assert.ok(lru.get("a") !== undefined && lru.get("c") !== undefined)
    assert.equal(lru.bytes, 8)
  })

  it("keeps no value over the budget, and replacing a key frees its old bytes", () => {
    const lru = new ByteLRU<Uint8Array, { data: Uint8Array }>(10)
    lru.set("huge", entry(11))
    assert.equal(lru.size, 0)
    lru.set("a", entry(6))
    lru.set("a", entry(3))
    assert.equal(lru.bytes, 3)
    lru.delete("a")
    assert.equal(lru.bytes, 0)
  })
})
