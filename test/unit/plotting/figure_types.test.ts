/**
 * figure() is typed: its title is a Title, its ranges have the types their options gave, axes are usable
 * and glyph methods take every option BokehJS takes, all without casts. This file is type-checked by
 * `npm run typecheck`: the assignments below fail it if a type loosens, and the `@ts-expect-error` lines
 * fail it if wrong options stop being errors. It also runs, checking the types tell the truth.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { ColumnDataSource, DataRange1d, FactorRange, GlyphRenderer, Range1d, Title, type Axis, type Range } from "../../../src/models/main.ts"
import { figure } from "../../../src/plotting/figure.ts"

const x = [1, 2, 3]
const y = [4, 5, 6]

describe("figure() types", () => {
  it("the title is a Title: p.title.text needs no cast", () => {
    const p = figure({ title: "sines" })
    const title: Title = p.title
    p.title.text = "cosines"
    assert.equal(title.text, "cosines")
    assert.ok(figure().title instanceof Title)
    p.title = "tangents" // a string still makes a Title, as in Python
    assert.equal(p.title.text, "tangents")
    const none = figure({ title: null })
    assert.equal(none.title, null)
    assert.throws(() => {
      // @ts-expect-error no title when given null
      none.title.text = "x"
    })
  })

  it("ranges have the type their option gave, DataRange1d by default", () => {
    const p = figure({ x_range: [0, 10], y_range: ["a", "b"] })
    const xr: Range1d = p.x_range
    const yr: FactorRange = p.y_range
    xr.start = 2
    assert.ok(xr instanceof Range1d && yr instanceof FactorRange)
    assert.deepEqual(p.y_range.factors, ["a", "b"])

    const d = figure()
    const dr: DataRange1d = d.x_range
    d.y_range.range_padding = 0.2
    assert.ok(dr instanceof DataRange1d)
    // @ts-expect-error a default range is a DataRange1d, not a Range1d
    const wrong: Range1d = d.x_range
    void wrong

    const given = new Range1d({ start: 0, end: 1 })
    const g = figure({ x_range: given })
    const same: Range1d = g.x_range
    assert.equal(same, given)
    const dates = figure({ x_range: [new Date(0), new Date(1000)] })
    assert.equal(dates.x_range.end, 1000)
    // Any range may be assigned later, as in Python.
    const r: Range = new DataRange1d()
    g.x_range = r
  })

  it("axes are usable without casts", () => {
    const p = figure()
    p.xaxis.axis_label = "time"
    p.yaxis.major_label_orientation = "vertical"
    const axes: Axis[] = [...p.xaxis]
    assert.equal(axes[0]!.axis_label, "time")
  })

  it("glyph methods take every option BokehJS takes; wrong options are errors", () => {
    const p = figure()
    const source = new ColumnDataSource({ data: { x, y } })
    const r1: GlyphRenderer = p.circle({ x, y, radius: 0.5, fill_color: "red", hover_fill_alpha: 0.5 })
    const r2 = p.circle(x, y, 0.5, { line_color: "navy" })
    const r3 = p.ngon({ x: "x", y: "y", radius: 1, n: 5, source })
    const r4 = p.ngon(x, y, 1, { n: 6, angle: 0.1 })
    for (const r of [r1, r2, r3, r4]) assert.ok(r instanceof GlyphRenderer)
    // @ts-expect-error misspelled option
    assert.throws(() => p.circle({ x, y, radius: 1, raduis: 2 }))
    // @ts-expect-error an option of another glyph
    assert.throws(() => p.ngon({ x, y, radius: 1, n: 5, top: 1 }))
  })
})
