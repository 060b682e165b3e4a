/** Spec properties whose values are dicts (hatch_extra) survive encoding and decoding. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { ImageURLTexture, Quad, Scatter } from "../../../src/models/main.ts"

function attributes(doc: Document): Record<string, unknown> {
  return (doc.to_json().roots[0] as { attributes: Record<string, unknown> }).attributes
}

describe("hatch_extra (a dict-valued spec)", () => {
  it("goes out as a map of textures, as Python sends it", () => {
    const texture = new ImageURLTexture({ url: "x.png" })
    const doc = new Document()
    doc.add_root(new Scatter({ hatch_extra: { pattern: texture } }))
    assert.deepEqual(attributes(doc)["hatch_extra"], {
      type: "map",
      entries: [["pattern", { type: "object", name: "ImageURLTexture", id: texture.id, attributes: { url: "x.png" } }]],
    })
  })

  it("an empty dict stays an empty map; a {value} wrapper is unwrapped (Python's Dict refuses value reps)", () => {
    const doc = new Document()
    doc.add_root(new Quad({ hatch_extra: {} }))
    assert.deepEqual(attributes(doc)["hatch_extra"], { type: "map" })
    const doc2 = new Document()
    const texture = new ImageURLTexture({ url: "y.png" })
    doc2.add_root(new Quad({ hatch_extra: { value: { p: texture } } }))
    assert.equal((attributes(doc2)["hatch_extra"] as { type: string }).type, "map")
  })

  it("a peer's map and a BokehJS value rep decode to the dict and go back out as a map", () => {
    const texture = { type: "object", name: "ImageURLTexture", id: "t1", attributes: { url: "z.png" } }
    for (const sent of [
      { type: "map", entries: [["p", texture]] },
      { type: "value", value: { type: "map", entries: [["p", texture]] } },
    ]) {
      const doc = Document.from_json({ roots: [{ type: "object", name: "Scatter", id: "s1", attributes: { hatch_extra: sent } }] })
      const hatch = (doc.roots[0] as Scatter).hatch_extra as Record<string, unknown>
      const dict = ("value" in hatch ? hatch["value"] : hatch) as Record<string, ImageURLTexture>
      assert.equal(dict["p"]!.url, "z.png")
      assert.deepEqual(attributes(doc)["hatch_extra"], { type: "map", entries: [["p", texture]] })
    }
  })
})
