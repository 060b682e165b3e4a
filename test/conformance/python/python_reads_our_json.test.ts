/** Python's `Document.from_json` reads what our `Document.to_json` writes. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { ColumnDataSource, Slider } from "../../../src/models/main.ts"
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

  it("bool and string columns keep their dtype through our stream and patch", async () => {
    const theirs = JSON.parse(
      await run_python(
        python_doc(`import numpy as np
doc.add_root(ColumnDataSource(name="s", data=dict(flag=np.array([True, False]), name=np.array(["a", "b"]))))`),
      ),
    )
    const doc = Document.from_json(theirs)
    const source = doc.get_model_by_name("s") as ColumnDataSource
    source.stream({ flag: [true, false], name: ["c", "d"] }, 3)
    source.patch({ flag: [[0, true]], name: [[1, "C"]] })
    const check = `
import json, sys
from bokeh.document import Document
data = Document.from_json(json.load(sys.stdin)).roots[0].data
print(data["flag"].dtype, data["flag"].tolist(), data["name"].dtype, data["name"].tolist())
`
    const out = await run_python(check, JSON.stringify(doc.to_json()))
    assert.equal(out.trim(), "bool [True, True, False] object ['b', 'C', 'd']")
  })

  it("CustomAction.active/disabled (public in BokehJS 3.10 through override_options) are kept", async () => {
    const { ours } = await round_trip_through_us(`doc.add_root(CustomAction(active=True, disabled=True))`)
    const check = `
import json, sys
from bokeh.document import Document
tool = Document.from_json(json.load(sys.stdin)).roots[0]
print(tool.active, tool.disabled)
`
    assert.equal((await run_python(check, JSON.stringify(ours))).trim(), "True True")
  })

  it("values Python accepts and BokehJS refuses come back to Python unchanged", async () => {
    const { theirs, ours } = await round_trip_through_us(`doc.add_root(Label(x="a", y=1))
doc.add_root(Band(lower="lower", lower_units="screen"))
doc.add_root(Dropdown(menu=[("a", "b"), ("c", CustomJS(code="x"))]))
doc.add_root(SizeBar(ticker=BasicTicker()))
doc.add_root(WMTSTileSource(extra_url_vars={"k": 1}))`)
    const check = `
import json, sys
from bokeh.document import Document
label, band, dropdown, size_bar, tiles = Document.from_json(json.load(sys.stdin)).roots
print(label.x, band.lower.field, band.lower_units, dropdown.menu[1][1].code, type(size_bar.ticker).__name__, tiles.extra_url_vars)
`
    // Python reads units back from a field rep as its default ("data") even from its own JSON; the rep is what we must keep.
    assert.equal((await run_python(check, JSON.stringify(ours))).trim(), "a lower data x BasicTicker {'k': 1}")
    assert.deepEqual(ours["roots"], theirs["roots"])
  })
})
