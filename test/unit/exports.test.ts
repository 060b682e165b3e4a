/** Every model Python Bokeh 3.9 exports at the top level of `bokeh.models` is exported by us under the same name. */
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, it } from "node:test"

import * as bokeh from "../../src/index.ts"
import { has_model_class } from "../../src/core/registry.ts"
import { needs_python, run_python } from "../conformance/python/peer.ts"

const list_file = new URL("../fixtures/python_bokeh_models_all.json", import.meta.url)
/** The model classes in Python Bokeh 3.9.2's `bokeh.models.__all__`. */
const python_models = JSON.parse(readFileSync(list_file, "utf8")) as string[]

/** Python's abstract bases that BokehJS has no model for (so no document can carry them). */
const python_only = ["AbstractGroup", "CategoricalMapper", "ConnectedXYGlyph", "Drag", "HTMLAnnotation", "MapPlot", "Scroll", "Tap"]

describe("top-level exports", () => {
  it("every model of Python's bokeh.models.__all__, under the same name", () => {
    const missing = python_models.filter((name) => !python_only.includes(name) && !(name in bokeh))
    assert.deepEqual(missing, [])
    for (const name of python_only) assert.equal(has_model_class(name), false, `${name} is in the catalogue now: export it`)
  })

  it("the stylesheet models are the same classes as under dom", () => {
    for (const name of ["ImportedStyleSheet", "GlobalInlineStyleSheet", "InlineStyleSheet", "GlobalImportedStyleSheet", "Styles"] as const) {
      assert.equal(bokeh[name], bokeh.dom[name])
    }
  })

  it("the list is Python's", needs_python, async () => {
    const script = `
import json
import bokeh.models as m
from bokeh.model import Model
print(json.dumps(sorted(n for n in m.__all__ if isinstance(getattr(m, n), type) and issubclass(getattr(m, n), Model))))
`
    assert.deepEqual(JSON.parse(await run_python(script)), python_models)
  })
})
