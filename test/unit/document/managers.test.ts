/**
 * The internal interface helpers use instead of a Document's private fields: the model manager's
 * known-to-peers set (what patches send as bare refs) and its lookups, the callback manager behind
 * `Document`'s change notification, and the brand `is_model` checks instead of importing HasProps.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { is_model } from "../../../src/core/model_brand.ts"
import { Document } from "../../../src/document/document.ts"
import { ModelChangedEvent, type DocumentChangedEvent } from "../../../src/document/events.ts"
import { Column, Div } from "../../../src/models/main.ts"

describe("DocumentModelManager", () => {
  it("a model is known once sent in full, and leaves the known set when it leaves the document", () => {
    const doc = new Document()
    const div = new Div({ id: "d" })
    const col = new Column({ id: "c", children: [div] })
    doc.add_root(col)
    const models = doc.model_manager
    assert.equal(models.is_known(div), false)
    doc.to_json() // every model goes in full
    assert.equal(models.is_known(div), true)
    const snapshot = models.known_snapshot()
    col.children = []
    assert.equal(models.get("d"), null) // recomputed on read
    assert.equal(models.is_known(div), false)
    assert.equal(snapshot.has(div), true, "a snapshot is a copy")
  })

  it("mark_known ignores models of no or another document; forget_known makes the next patch carry full reps", () => {
    const doc = new Document()
    const div = new Div({ id: "d" })
    doc.add_root(div)
    const stray = new Div()
    doc.model_manager.mark_known(stray)
    assert.equal(doc.model_manager.is_known(stray), false)
    doc.model_manager.mark_all_known()
    const ref = doc.create_json_patch([new ModelChangedEvent(doc, div, "text", "", "x")]).content.events
    assert.deepEqual(ref[0], { kind: "ModelChanged", model: { id: "d" }, attr: "text", new: "x" })
    doc.model_manager.forget_known()
    const full = doc.create_json_patch([new ModelChangedEvent(doc, div, "text", "", "x")]).content.events[0] as { model: Record<string, unknown> }
    assert.equal(full.model["type"], "object")
  })

  it("is_config_model_id covers the config and the models it references", () => {
    const doc = new Document()
    doc.to_json() // makes the default DocumentConfig
    assert.ok(doc.config !== null)
    assert.equal(doc.model_manager.is_config_model_id(doc.config.id), true)
    assert.equal(doc.model_manager.is_config_model_id("nope"), false)
  })
})

describe("DocumentCallbackManager", () => {
  it("Document's on_change, hold and unhold go through the callback manager", () => {
    const doc = new Document()
    const div = new Div({ text: "a" })
    doc.add_root(div)
    const seen: DocumentChangedEvent[] = []
    doc.callback_manager.on_change([(e) => seen.push(e)])
    doc.hold("combine")
    div.text = "b"
    div.text = "c"
    assert.equal(seen.length, 0)
    doc.unhold()
    assert.equal(seen.length, 1)
    assert.equal((seen[0] as ModelChangedEvent).new_, "c")
  })
})

describe("model brand", () => {
  it("identifies models and nothing else", () => {
    assert.equal(is_model(new Div()), true)
    assert.equal(is_model({ id: "x", type: "object" }), false)
    assert.equal(is_model(Object.create(Div.prototype) as unknown), true)
    assert.equal(is_model(null), false)
  })
})
