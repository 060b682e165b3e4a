import { test } from "node:test"
import assert from "node:assert/strict"
import { figure } from "../../../src/plotting/figure.ts"
import { column, gridplot, layout, row } from "../../../src/layouts.ts"
import { Column, Row, SaveTool, Slider, ToolProxy } from "../../../src/models/main.ts"

test("row/column: varargs, a list, trailing options, sizing_mode passed to auto-sized children", () => {
  const a = figure(),
    b = figure()
  const r = row(a, b, { sizing_mode: "stretch_width" })
  assert.deepEqual(r.children, [a, b])
  assert.equal(a.sizing_mode, "stretch_width")
  const c = column([new Slider({ start: 0, end: 1, value: 0 })], { width: 300 })
  assert.equal(c.width, 300)
  assert.throws(() => row(a, "x" as never), /children must be layout models/)
})

test("layout: nested lists alternate columns and rows", () => {
  const [a, b, c] = [figure(), figure(), figure()]
  const l = layout([[a, b], c])
  assert.ok(l instanceof Column)
  assert.ok(l.children[0] instanceof Row)
  assert.equal(l.children[1], c)
})

test("gridplot: positions, merged tools, toolbar_location of children", () => {
  const [a, b, c] = [figure(), figure(), figure({ tools: "pan,save" })]
  const g = gridplot([a, b, c], { ncols: 2 })
  assert.deepEqual(
    g.children.map(([, y, x]) => [y, x]),
    [
      [0, 0],
      [0, 1],
      [1, 0],
    ],
  )
  assert.equal(a.toolbar_location, null)
  const tools = g.toolbar.tools
  assert.equal(tools.filter((t) => t instanceof SaveTool).length, 1)
  const pan = tools.find((t) => t instanceof ToolProxy) as ToolProxy
  assert.equal(pan.tools.length, 3)
  assert.throws(() => gridplot([a, b]), /list of rows/)
})
