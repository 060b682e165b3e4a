/** `serve --glob`: patterns expand as Python's glob.glob does, character classes included. */
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"

import { glob } from "../../../src/command/glob.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-glob-"))
for (const name of ["a.ts", "b.ts", "c.ts", ".hidden.ts"]) writeFileSync(join(dir, name), "")
mkdirSync(join(dir, "app_dir"))
mkdirSync(join(dir, "sub"))
writeFileSync(join(dir, "sub", "d.ts"), "")

describe("glob", () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("[abc] is a character class, [!a] its complement", () => {
    assert.deepEqual(glob(join(dir, "[ab].ts")), [join(dir, "a.ts"), join(dir, "b.ts")])
    assert.deepEqual(glob(join(dir, "[!a]*.ts")), [join(dir, "b.ts"), join(dir, "c.ts")])
  })

  it("matches directories, skips hidden names unless asked, ** crosses folders, no match is empty", () => {
    assert.deepEqual(glob(join(dir, "app_*")), [join(dir, "app_dir")])
    assert.deepEqual(
      glob(join(dir, "*.ts")),
      ["a.ts", "b.ts", "c.ts"].map((n) => join(dir, n)),
    )
    assert.deepEqual(glob(join(dir, ".h*")), [join(dir, ".hidden.ts")])
    assert.deepEqual(glob(join(dir, "**", "d.ts")), [join(dir, "sub", "d.ts")])
    assert.deepEqual(glob(join(dir, "nothing*")), [])
  })
})
