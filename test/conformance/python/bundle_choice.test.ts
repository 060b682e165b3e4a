/**
 * `required_bundles` decides as Python's `bokeh.embed.bundle` does: each document's JSON is read by
 * Python's `Document.from_json`, and Python's `_use_widgets`, `_use_tables`, `_use_gl` and `_use_mathjax`
 * run on all its models.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { required_bundles } from "../../../src/embed/bundle.ts"
import {
  ColumnDataSource,
  DataTable,
  Div,
  Document,
  Label,
  LinearAxis,
  Paragraph,
  PreText,
  Slider,
  TableColumn,
  TeX,
  TeXGlyph,
  column,
  figure,
  type HasProps,
} from "../../../src/index.ts"
import { needs_python, run_python } from "./peer.ts"

const python_choice = `
import json, sys
from bokeh.document import Document
from bokeh.embed.bundle import _all_objs, _use_gl, _use_mathjax, _use_tables, _use_widgets
out = []
for doc_json in json.load(sys.stdin):
    objs = _all_objs([Document.from_json(doc_json)])
    names = ["bokeh"]
    if _use_gl(objs): names.append("bokeh-gl")
    if _use_widgets(objs): names.append("bokeh-widgets")
    if _use_tables(objs): names.append("bokeh-tables")
    if _use_mathjax(objs): names.append("bokeh-mathjax")
    out.append(names)
print(json.dumps(out))
`

function documents(): Array<{ name: string; roots: HasProps[] }> {
  const slider = (title: string) => new Slider({ start: 0, end: 1, value: 0, title })
  const tex_plot = figure({ width: 200, height: 200 })
  tex_plot.add_layout(new Label({ x: 0, y: 0, text: "$$E = mc^2$$" }))
  const tex_glyph_plot = figure({ width: 200, height: 200 })
  tex_glyph_plot.add_glyph(new TeXGlyph({ x: 0, y: 0, text: "x" }))
  const axis_plot = figure({ width: 200, height: 200 })
  axis_plot.add_layout(new LinearAxis({ axis_label: "\\(t\\)" }), "left")
  const override_plot = figure({ width: 200, height: 200 })
  override_plot.add_layout(new LinearAxis({ major_label_overrides: { "1": "\\[\\pi\\]" } }), "below")
  const table = new DataTable({ source: new ColumnDataSource({ data: { a: [1] } }), columns: [new TableColumn({ field: "a" })] })
  return [
    { name: "plot", roots: [figure({ width: 200, height: 200 })] },
    { name: "svg plot", roots: [figure({ width: 200, height: 200, output_backend: "svg" })] },
    { name: "webgl plot", roots: [figure({ width: 200, height: 200, output_backend: "webgl" })] },
    { name: "slider", roots: [column([slider("a"), figure({ width: 200, height: 200 })])] },
    { name: "table", roots: [table] },
    { name: "TeX label", roots: [tex_plot] },
    { name: "TeX glyph", roots: [tex_glyph_plot] },
    { name: "TeX model", roots: [new Div({ text: "x" }), new Label({ x: 0, y: 0, text: new TeX({ text: "x" }) })] },
    { name: "TeX axis label", roots: [axis_plot] },
    { name: "TeX label override", roots: [override_plot] },
    { name: "TeX slider title", roots: [slider("$$\\alpha$$")] },
    { name: "dollars in a slider title", roots: [slider("$5 to $6")] },
    { name: "TeX Div", roots: [new Div({ text: "$$a$$" })] },
    { name: "TeX Div, math disabled", roots: [new Div({ text: "$$a$$", disable_math: true })] },
    { name: "TeX Div as text", roots: [new Div({ text: "$$a$$", render_as_text: true })] },
    { name: "TeX Paragraph", roots: [new Paragraph({ text: "\\(a\\)" })] },
    { name: "TeX PreText", roots: [new PreText({ text: "\\(a\\)" })] },
  ]
}

describe("bundle choice agrees with Python's bokeh.embed.bundle", needs_python, () => {
  it("for plots, widgets, tables, webgl and every math-text case Python checks", async () => {
    const cases = documents()
    const jsons = cases.map(({ roots }) => {
      const doc = new Document()
      for (const root of roots) doc.add_root(root)
      return doc.to_json()
    })
    const theirs = JSON.parse(await run_python(python_choice, JSON.stringify(jsons))) as string[][]
    cases.forEach(({ name, roots }, i) => assert.deepEqual(required_bundles(roots), theirs[i], name))
  })
})
