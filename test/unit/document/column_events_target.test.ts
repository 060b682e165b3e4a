/**
 * Column events (ColumnDataChanged, ColumnsStreamed, ColumnsPatched) apply to a ColumnDataSource's `data`
 * only. Aimed at another dict property (`styles`, `js_property_callbacks`, `tags` holders …) they would store
 * values no peer can load back, wedging the session: they are refused whole with a coded error.
 * (Found by `npm run fuzz`.)
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { DocumentError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { ColumnDataSource, Div } from "../../../src/models/main.ts"

function map(entries: Array<[unknown, unknown]>): unknown {
  return { type: "map", entries }
}

function setup(): { doc: Document; div: Div; source: ColumnDataSource } {
  const doc = new Document()
  const div = new Div({ id: "div", text: "hi", styles: { color: "red" } })
  const source = new ColumnDataSource({ id: "src", data: { x: [1, 2] } })
  doc.add_root(div)
  doc.add_root(source)
  return { doc, div, source }
}

const bad_patch = (e: unknown) => e instanceof DocumentError && e.code === "BK_ERR_BAD_EVENT"

describe("column events target only a ColumnDataSource's data", () => {
  const cases: Array<[string, unknown]> = [
    ["ColumnDataChanged on Div.styles", { kind: "ColumnDataChanged", model: { id: "div" }, attr: "styles", data: map([["color", [1, 2]]]), cols: ["color"] }],
    ["ColumnsStreamed on Div.styles", { kind: "ColumnsStreamed", model: { id: "div" }, attr: "styles", data: map([["color", [1]]]), rollover: null }],
    ["ColumnsPatched on Div.js_property_callbacks", { kind: "ColumnsPatched", model: { id: "div" }, attr: "js_property_callbacks", patches: map([]) }],
    [
      "ColumnsStreamed on a source's other dict property",
      { kind: "ColumnsStreamed", model: { id: "src" }, attr: "js_property_callbacks", data: map([]), rollover: null },
    ],
  ]
  for (const [name, event] of cases) {
    it(`${name} is refused and the document still round-trips`, async () => {
      const { doc, div } = setup()
      await assert.rejects(doc.apply_json_patch({ events: [event] }), bad_patch)
      assert.deepEqual(div.styles, { color: "red" })
      assert.deepEqual(div.js_property_callbacks, {})
      const again = Document.from_json(JSON.parse(JSON.stringify(doc.to_json())))
      assert.equal((again.get_model_by_id("div") as Div).text, "hi")
    })
  }

  it("the source's data still takes them", async () => {
    const { doc, source } = setup()
    await doc.apply_json_patch({ events: [{ kind: "ColumnsStreamed", model: { id: "src" }, attr: "data", data: map([["x", [3]]]), rollover: null }] })
    assert.deepEqual(source.data["x"], [1, 2, 3])
  })
})
