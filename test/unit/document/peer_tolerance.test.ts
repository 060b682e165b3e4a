/**
 * Peers' values that Python Bokeh accepts but BokehJS's kinds refuse are kept as received, relayed
 * unchanged and logged once each; other wrong values are still refused, and app code stays strict.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { ValidationError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { Label } from "../../../src/models/main.ts"
import { set_log_level, set_log_sink } from "../../../src/util/logging.ts"

const customjs = { type: "object", name: "CustomJS", id: "cb", attributes: { code: "" } }
const python_values: Array<[string, string, unknown, Record<string, unknown>?]> = [
  ["Label", "x", "a", { y: 1 }],
  ["Label", "x", ["a", "b"], { y: 1 }],
  ["Band", "lower", { type: "field", field: "lower", units: "screen" }],
  ["Dropdown", "menu", [["a", "b"], ["c", customjs], null]],
  ["SizeBar", "ticker", { type: "object", name: "BasicTicker", id: "t" }],
  ["WMTSTileSource", "extra_url_vars", { type: "map", entries: [["k", 1]] }],
]

let lines: string[] = []
before(() => {
  set_log_level("warning")
  set_log_sink((line) => lines.push(line))
})
after(() => {
  set_log_level("none")
  set_log_sink((line) => process.stderr.write(`${line}\n`))
})

describe("values Python accepts and BokehJS refuses, from peers", () => {
  for (const [model, prop, rep, others] of python_values) {
    it(`${model}.${prop} = ${JSON.stringify(rep).slice(0, 60)}: document kept, value relayed unchanged, one warning`, () => {
      lines = []
      const attributes = { ...others, [prop]: rep }
      const doc = Document.from_json({ roots: [{ type: "object", name: model, id: "m", attributes }] })
      const sent = doc.to_json().roots[0] as { attributes: Record<string, unknown> }
      assert.deepEqual(sent.attributes[prop], rep)
      assert.equal(lines.length, 1, lines.join("\n"))
      assert.match(lines[0]!, new RegExp(`${model}\\(m\\)\\.${prop} = `))
    })
  }

  it("in a PATCH-DOC too", async () => {
    lines = []
    const doc = Document.from_json({ roots: [{ type: "object", name: "Label", id: "l", attributes: { x: 1, y: 1 } }] })
    await doc.apply_json_patch({ events: [{ kind: "ModelChanged", model: { id: "l" }, attr: "x", new: ["f", "g"] }] }, undefined, "peer")
    assert.deepEqual((doc.roots[0] as Label).x, ["f", "g"])
    assert.equal(lines.length, 1)
  })

  it("values neither accepts are still refused (Slider.start a string)", () => {
    assert.throws(
      () => Document.from_json({ roots: [{ type: "object", name: "Slider", id: "s", attributes: { start: "high", end: 1, value: 0 } }] }),
      (e: unknown) => e instanceof ValidationError && e.code === "BK_ERR_INVALID_PROPERTY_VALUE",
    )
  })

  it("app code setting such a value gets a ValidationError", () => {
    assert.throws(
      () => new Label({ x: "a" as unknown as number, y: 1 }),
      (e: unknown) => e instanceof ValidationError && e.code === "BK_ERR_INVALID_PROPERTY_VALUE",
    )
  })
})
