/**
 * The document config (always written, as Python and BokehJS do) keeps one id for the document's life, and
 * its models' ids can't be taken by a peer's models: a pull would otherwise carry two models with one id.
 * (Found by `npm run fuzz`.)
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { Div } from "../../../src/models/main.ts"

function config_id(doc: Document): string {
  return (doc.to_json() as { config: { id: string } }).config.id
}

describe("document config ids", () => {
  it("a replacement without a config keeps the current one", () => {
    const doc = new Document()
    doc.add_root(new Div({ text: "a" }))
    const before = config_id(doc)
    doc.replace_with_json({ title: "pushed", roots: [] })
    assert.equal(config_id(doc), before)
  })

  it("a peer's patch can't reuse the config's id for a new model", async () => {
    const doc = new Document()
    doc.add_root(new Div({ text: "a" }))
    const id = config_id(doc)
    const patch = { events: [{ kind: "RootAdded", model: { type: "object", name: "Div", id, attributes: {} } }] }
    await assert.rejects(doc.apply_json_patch(patch), (e) => e instanceof BokehError)
    assert.equal(doc.roots.length, 1)
    Document.from_json(JSON.parse(JSON.stringify(doc.to_json()))) // still loads
  })

  it("a replacement without a config can't reuse its id either", () => {
    const doc = new Document()
    const id = config_id(doc)
    assert.throws(
      () => doc.replace_with_json({ title: "pushed", roots: [{ type: "object", name: "Div", id, attributes: {} }] }),
      (e) => e instanceof BokehError,
    )
  })
})
