// The complete example of docs/testing.md ("AppTest"), run as written there but for the import paths
// (docs_examples.test.ts checks the two stay the same).
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import type { ColumnDataSource, Plot, Row, Title } from "../../../src/index.ts"
import { AppTest } from "../../../src/testing/index.ts"

describe("sliders app", () => {
  it("a slider change recomputes the wave; the text input renames the plot", async () => {
    await using at = await AppTest.from_file("examples/sliders.ts")
    const x = Array.from(at.get<ColumnDataSource>("source").data["x"] as Float64Array)

    const mark = at.mark()
    await at.set("freq", { value: 2 })          // the browser moves the slider: a PATCH-DOC to the server

    const y = at.get<ColumnDataSource>("source").data["y"] as Float64Array
    assert.ok(Math.abs(y[50]! - Math.sin(2 * x[50]!)) < 1e-12)
    // What the browser received: the new data, not its own slider value back.
    assert.deepEqual(at.changes(mark), [{ kind: "ColumnDataChanged", model: "source", attr: "data" }])

    await at.set("title", { value: "a new title" })
    const plot = (at.document.roots[0] as Row).children[1] as Plot
    assert.equal((plot.title as Title).text, "a new title")
    at.check_in_sync()                           // the browser's copy equals the server's document
  })
})
