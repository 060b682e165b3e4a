/**
 * Layouts against BokehJS: gridplot() against BokehJS's `gridplot()` (merged toolbar), row() and
 * column() against Row/Column models built by hand (BokehJS's API has no row/column functions).
 */
import { test } from "node:test"
import { figure } from "../../src/plotting/figure.ts"
import { column, gridplot, row } from "../../src/layouts.ts"
import { Slider } from "../../src/models/main.ts"
import { B, BP, PY_DEFAULT_TOOLS, assert_same, normalize_bokehjs, ours, theirs } from "./plotting_oracle.ts"

const M = (name: string) => B.Models.get(name)

test("gridplot of rows merges toolbars", () => {
  const ps = [figure({ width: 200 }), figure({ width: 200, tools: "pan,save" }), figure({ tools: "hover,save,reset" })]
  ps.forEach((p) => p.line([1, 2], [3, 4]))
  const qs = [BP.figure({ width: 200, tools: PY_DEFAULT_TOOLS }), BP.figure({ width: 200, tools: "pan,save" }), BP.figure({ tools: "hover,save,reset" })]
  qs.forEach((q: { line: (x: number[], y: number[]) => void }) => q.line([1, 2], [3, 4]))
  const ours_ = gridplot([
    [ps[0]!, ps[1]!],
    [null, ps[2]!],
  ])
  const theirs_ = BP.gridplot(
    [
      [qs[0], qs[1]],
      [null, qs[2]],
    ],
    { toolbar_location: "above" },
  )
  assert_same(ours(ours_), theirs(normalize_bokehjs(theirs_)))
})

test("gridplot with ncols, width, height, merge_tools: false", () => {
  const ps = [figure(), figure(), figure()]
  const qs = [BP.figure({ tools: PY_DEFAULT_TOOLS }), BP.figure({ tools: PY_DEFAULT_TOOLS }), BP.figure({ tools: PY_DEFAULT_TOOLS })]
  assert_same(
    ours(gridplot(ps, { ncols: 2, width: 250, height: 250 })),
    theirs(normalize_bokehjs(BP.gridplot(qs, { ncols: 2, width: 250, height: 250, toolbar_location: "above" }))),
  )
  const ps2 = [figure(), figure()]
  const qs2 = [BP.figure({ tools: PY_DEFAULT_TOOLS }), BP.figure({ tools: PY_DEFAULT_TOOLS })]
  assert_same(ours(gridplot([ps2], { merge_tools: false })), theirs(normalize_bokehjs(BP.gridplot([qs2], { merge_tools: false, toolbar_location: "above" }))))
})

test("row(...) and column(...) with options", () => {
  const p = figure({ height: 300 })
  const s = new Slider({ start: 0, end: 10, value: 1, title: "f" })
  const q = BP.figure({ height: 300, tools: PY_DEFAULT_TOOLS })
  const t = new (M("Slider"))({ start: 0, end: 10, value: 1, title: "f" })
  assert_same(
    ours(row(column(s), p, { width: 800 })),
    theirs(normalize_bokehjs(new (M("Row"))({ children: [new (M("Column"))({ children: [t] }), q], width: 800 }))),
  )
  const p2 = figure()
  const q2 = BP.figure({ tools: PY_DEFAULT_TOOLS })
  q2.sizing_mode = "stretch_width"
  assert_same(
    ours(column([p2], { sizing_mode: "stretch_width" })),
    theirs(normalize_bokehjs(new (M("Column"))({ children: [q2], sizing_mode: "stretch_width" }))),
  )
})
