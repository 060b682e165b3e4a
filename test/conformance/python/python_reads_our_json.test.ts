/** Python's `Document.from_json` reads what our `Document.to_json` writes. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { Slider } from "../../../src/models/main.ts"
import { needs_python, run_python } from "./peer.ts"

const read_doc = `
import json, sys
from bokeh.document import Document
doc = Document.from_json(json.load(sys.stdin))
print(json.dumps({"title": doc.title, "roots": [type(r).__name__ for r in doc.roots], "config": type(doc.config).__name__}))
`

describe("Python reads our document JSON", needs_python, () => {
  it("a document that never set a config still carries one (Python reads doc['config'] unconditionally)", async () => {
    const doc = new Document()
    doc.add_root(new Slider({ start: 0, end: 1, value: 0 }))
    doc.title = "t"
    const json = doc.to_json()
    assert.equal((json.config as { name: string }).name, "DocumentConfig")
    assert.equal(JSON.stringify(doc.to_json().config), JSON.stringify(json.config), "the config keeps its id")
    const read = JSON.parse(await run_python(read_doc, JSON.stringify(json)))
    assert.deepEqual(read, { title: "t", roots: ["Slider"], config: "DocumentConfig" })
  })
})

/** Python builds a document with `build` (code adding to `doc`) and prints its JSON. */
const python_doc = (build: string): string => `
import json, sys
from bokeh.document import Document
from bokeh.models import *
doc = Document()
${build}
print(json.dumps(doc.to_json(deferred=False)))
`
/** Python's document JSON, and ours after decoding it and encoding it again. */
async function round_trip_through_us(build: string): Promise<{ theirs: Record<string, unknown>; ours: Record<string, unknown> }> {
  const theirs = JSON.parse(await run_python(python_doc(build))) as Record<string, unknown>
  const ours = Document.from_json(theirs).to_json() as unknown as Record<string, unknown>
  return { theirs, ours }
}

describe("Python reads back what we re-serialize of its documents", needs_python, () => {
  it("hatch_extra textures survive (Python's Dict(String, Instance(Texture)))", async () => {
    const { ours } = await round_trip_through_us(`doc.add_root(Scatter(hatch_extra={"p": ImageURLTexture(url="x.png")}))`)
    const check = `
import json, sys
from bokeh.document import Document
doc = Document.from_json(json.load(sys.stdin))
tex = doc.roots[0].hatch_extra["p"]
print(type(tex).__name__, tex.url)
`
    assert.equal((await run_python(check, JSON.stringify(ours))).trim(), "ImageURLTexture x.png")
  })
})
