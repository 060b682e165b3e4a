/** docs/testing.md's complete AppTest example is docs_sliders.test.ts (which runs), but for its import paths. */
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, it } from "node:test"

describe("docs/testing.md", () => {
  it("the complete AppTest example is the one the test suite runs", () => {
    const docs = readFileSync("docs/testing.md", "utf8")
    const section = docs.slice(docs.indexOf("## AppTest"))
    const block = /```ts\n([\s\S]*?)```/.exec(section)![1]!
    const test = readFileSync("test/unit/testing/docs_sliders.test.ts", "utf8")
      .replace(/^\/\/.*\n/gm, "")
      .replaceAll('from "../../../src/testing/index.ts"', 'from "bokeh-ts/testing"')
      .replaceAll('from "../../../src/index.ts"', 'from "bokeh-ts"')
    assert.equal(test, block)
  })
})
