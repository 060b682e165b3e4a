import { test } from "node:test"
import assert from "node:assert/strict"
import { figure } from "../../../src/plotting/figure.ts"
import {
  BoxZoomTool,
  CategoricalAxis,
  DatetimeAxis,
  FactorRange,
  Grid,
  HoverTool,
  LinearAxis,
  LogScale,
  PanTool,
  Range1d,
  Title,
  WheelZoomTool,
  Legend,
} from "../../../src/models/main.ts"
import { tool_from_string } from "../../../src/plotting/tools.ts"

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c

test("figure(): title strings become Title models; null removes the title", () => {
  const p = figure({ title: "hi" })
  assert.ok(p.title instanceof Title)
  assert.equal((p.title as Title).text, "hi")
  assert.ok(figure().title instanceof Title)
  assert.equal(figure({ title: null }).title, null)
})

test("figure(): ranges and axis types", () => {
  const p = figure({
    x_range: [0, 5],
    y_range: [
      ["a", "b"],
      ["a", "c"],
    ],
    x_axis_type: "log",
  })
  assert.ok(p.x_range instanceof Range1d)
  assert.ok(p.y_range instanceof FactorRange)
  assert.ok(p.x_scale instanceof LogScale)
  assert.ok(p.left[0] instanceof CategoricalAxis)
  const d = figure({ x_axis_type: "datetime", x_range: [new Date(0), new Date(1000)] })
  assert.ok(d.below[0] instanceof DatetimeAxis)
  assert.equal((d.x_range as Range1d).end, 1000)
  assert.throws(() => figure({ x_axis_type: "polar" as never }), code("BK_ERR_PLOTTING_ARGUMENT"))
  assert.throws(() => figure({ x_range: [1, 2, 3] as never }), code("BK_ERR_PLOTTING_ARGUMENT"))
})

test("figure(): axes and grids, x_axis_location null keeps the grid only", () => {
  const p = figure({ x_axis_location: null, y_axis_label: "v" })
  assert.equal(p.below.length, 0)
  assert.equal(p.xgrid.length, 1)
  assert.ok(p.xgrid[0]!.axis instanceof LinearAxis)
  assert.equal(p.yaxis[0]!.axis_label, "v")
  assert.equal(p.xgrid[0]!.axis!.axis_label, null)
  p.axis.major_label_text_font_size = "20px"
  assert.equal(p.yaxis[0]!.major_label_text_font_size, "20px")
  p.grid.visible = false
  assert.ok(p.center.filter((c) => c instanceof Grid).every((g) => !g.visible))
  assert.throws(() => figure({ x_minor_ticks: 1 }), code("BK_ERR_PLOTTING_ARGUMENT"))
})

test("figure(): tools from strings and lists, tooltips, active tools", () => {
  const p = figure({ tools: " pan , wheel_zoom,,box_zoom", active_scroll: "wheel_zoom", tooltips: [["x", "$x"]] })
  const tools = p.toolbar.tools
  assert.deepEqual(
    tools.map((t) => t.constructor.name),
    ["PanTool", "WheelZoomTool", "BoxZoomTool", "HoverTool"],
  )
  assert.ok(p.toolbar.active_scroll instanceof WheelZoomTool)
  assert.deepEqual((tools[3] as HoverTool).tooltips, [["x", "$x"]])
  const pan = new PanTool({ dimensions: "width" })
  const q = figure({ tools: [pan, "hover"], tooltips: "@y", active_drag: pan })
  assert.equal(q.toolbar.active_drag, pan)
  assert.equal((q.toolbar.tools[1] as HoverTool).tooltips, "@y")
  assert.throws(() => figure({ tools: "pan,zoomzoom" }), code("BK_ERR_PLOTTING_ARGUMENT"))
  assert.throws(() => figure({ tools: "pan", active_drag: "box_zoom" }), code("BK_ERR_PLOTTING_ARGUMENT"))
  assert.equal((tool_from_string("ybox_zoom") as BoxZoomTool).dimensions, "height")
})

test("figure(): unknown options are errors naming the property", () => {
  assert.throws(() => figure({ widht: 100 } as never), /Figure has no property 'widht'/)
})

test("legend accessor creates one legend", () => {
  const p = figure()
  const l = p.legend
  assert.ok(l instanceof Legend)
  assert.equal(p.legend, l)
  assert.equal(p.center.filter((c) => c instanceof Legend).length, 1)
})
