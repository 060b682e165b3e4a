/** Plain JavaScript app scripts split without a compiler: imports hoisted, every other character where it was. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { split_js_module, wrap_js_script } from "../../../src/application/handlers/js_script.ts"

describe("split_js_module", () => {
  it("moves import declarations out and keeps every other line and column", () => {
    const source = [
      'import { a } from "x"',
      "export const b = 1",
      "import {",
      "  c,",
      '} from "./y.js"',
      "export default b + a",
      "export { b as d }",
      'const s = "import { z } from \\"q\\""',
      "",
    ].join("\n")
    const { imports, body } = split_js_module(source, "/app/main.js")
    assert.equal(imports, 'import { a } from "x"\nimport {\n  c,\n} from "./y.js"')
    const lines = body.split("\n")
    assert.equal(lines.length, source.split("\n").length)
    assert.equal(lines[1], "       const b = 1")
    assert.equal(lines[5], "void           b + a")
    assert.equal(lines[6]!.trim(), "")
    assert.equal(lines[7], source.split("\n")[7])
  })

  it("reports a syntax error as file:line:col with esbuild's message shape", () => {
    assert.throws(
      () => split_js_module("const a = 1\nconst = 2\n", "/app/main.js"),
      (error: Error & { errors?: Array<{ text: string; location: { line: number; column: number } }> }) => {
        assert.match(error.message, /^\/app\/main\.js:2:7: Unexpected token$/)
        assert.deepEqual([error.errors![0]!.location.line, error.errors![0]!.location.column], [2, 6])
        return true
      },
    )
  })

  it("wraps the body in a function opened on line 1, so line numbers stay", () => {
    const module = wrap_js_script('#!/usr/bin/env node\nimport { a } from "x"\nthrow new Error(a)\n', "/app/main.js")
    assert.match(module, /^export default async function __bokeh_app_script__\(\) \{\s*\n\s*\nthrow new Error\(a\)\n/)
    assert.match(module, /\nimport \{ a \} from "x"\n\/\/# sourceURL=\/app\/main\.js\n$/)
  })
})
