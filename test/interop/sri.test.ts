/**
 * Our SRI digests are made as Python Bokeh makes its own: `sri_hash` of Python's shipped BokehJS files
 * equals the hashes in Python's `bokeh/_sri/<version>.json` (our pinned table is the same digest of
 * the 3.10 bundles).
 */
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"

import { sri_hash } from "../../src/embed/sri_hashes.ts"
import { find_python } from "./find_python.mjs"

const found = find_python()

describe("SRI hashes as Python Bokeh computes them", { skip: found.ok ? false : found.reason }, () => {
  it("sri_hash of Python's own bundles matches its _sri table", () => {
    if (!found.ok) return
    const [root, version] = execFileSync(found.python, ["-c", "import bokeh, os; print(os.path.dirname(bokeh.__file__)); print(bokeh.__version__)"], {
      encoding: "utf8",
    })
      .trim()
      .split("\n") as [string, string]
    const table = JSON.parse(readFileSync(join(root, "_sri", `${version}.json`), "utf8")) as Record<string, string>
    for (const name of ["bokeh", "bokeh-widgets", "bokeh-tables", "bokeh-gl", "bokeh-mathjax"]) {
      const data = readFileSync(join(root, "server", "static", "js", `${name}.min.js`))
      assert.equal(sri_hash(data), table[`${name}-${version}.min.js`], name)
    }
  })
})
