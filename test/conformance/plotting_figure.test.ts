/**
 * figure() against BokehJS's `figure()`: the same options build the same document (see
 * plotting_oracle.ts for the documented Python/BokehJS differences the oracle is adjusted for).
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { figure } from "../../src/plotting/figure.ts"
import { FactorRange, Range1d } from "../../src/models/main.ts"
import { BP, B, PY_DEFAULT_TOOLS, assert_same, normalize_bokehjs, ours, theirs } from "./plotting_oracle.ts"

const same = (our: Parameters<typeof figure>[0], their: Record<string, unknown>): void => {
  assert_same(ours(figure(our)), theirs(normalize_bokehjs(BP.figure(their))))
}

test("figure() defaults", () => {
  same({}, { tools: PY_DEFAULT_TOOLS })
})

test("figure() size, title, fills and other Plot properties pass through", () => {
  const opts = {
    width: 400,
    height: 250,
    sizing_mode: "stretch_width",
    title: "my plot",
    background_fill_color: "#fafafa",
    border_fill_color: "whitesmoke",
    output_backend: "webgl",
    toolbar_location: "above",
    min_border_left: 40,
  } as const
  same(opts, { ...opts, tools: PY_DEFAULT_TOOLS })
})

for (const tools of [
  "pan,wheel_zoom,box_zoom,reset,save",
  "",
  "xpan,ywheel_zoom, xbox_select , lasso_select,tap,hover,crosshair",
  "pan_left,zoom_in,xzoom_out,undo,redo,copy,examine,fullscreen,help,box_select,poly_select,doubletap,click,xwheel_pan,auto_box_zoom",
]) {
  test(`figure({tools: ${JSON.stringify(tools)}})`, () => same({ tools }, { tools }))
}

test("figure() with a list of tools and active tools by name", () => {
  same(
    { tools: ["pan", "box_zoom", "wheel_zoom", "tap"], active_drag: "box_zoom", active_scroll: "wheel_zoom", active_tap: "tap" },
    { tools: ["pan", "box_zoom", "wheel_zoom", "tap"], active_drag: "box_zoom", active_scroll: "wheel_zoom", active_tap: "tap" },
  )
  same({ tools: "pan,hover", active_inspect: null, active_drag: null }, { tools: "pan,hover", active_inspect: null, active_drag: null })
})

test("figure() ranges: [start, end], factors, Range models", () => {
  same({ x_range: [0, 10], y_range: [-2.5, 2.5] }, { x_range: [0, 10], y_range: [-2.5, 2.5], tools: PY_DEFAULT_TOOLS })
  same({ x_range: ["a", "b", "c"], y_range: [0, 1] }, { x_range: ["a", "b", "c"], y_range: [0, 1], tools: PY_DEFAULT_TOOLS })
  same(
    { x_range: new Range1d({ start: 1, end: 2 }), y_range: new FactorRange({ factors: ["x", "y"] }) },
    {
      x_range: new (B.Models.get("Range1d"))({ start: 1, end: 2 }),
      y_range: new (B.Models.get("FactorRange"))({ factors: ["x", "y"] }),
      tools: PY_DEFAULT_TOOLS,
    },
  )
})

for (const [x_axis_type, y_axis_type] of [
  ["log", "linear"],
  ["datetime", "log"],
  ["mercator", "mercator"],
  ["linear", null],
  ["timedelta", "auto"],
] as const) {
  test(`figure({x_axis_type: ${x_axis_type}, y_axis_type: ${y_axis_type}})`, () => {
    same({ x_axis_type, y_axis_type }, { x_axis_type, y_axis_type, tools: PY_DEFAULT_TOOLS })
  })
}

test("figure() axis labels, locations, minor ticks", () => {
  const opts = { x_axis_label: "time", y_axis_label: "value", x_axis_location: "above", y_axis_location: "right", x_minor_ticks: 2 } as const
  same(opts, { ...opts, tools: PY_DEFAULT_TOOLS })
  // minor_ticks null: Python means no minor ticks (0); BokehJS treats null as "auto", so set 0 by hand.
  const their = normalize_bokehjs(BP.figure({ tools: PY_DEFAULT_TOOLS }))
  their.yaxis.each((axis: { ticker: { num_minor_ticks: number } }) => {
    axis.ticker.num_minor_ticks = 0
  })
  assert_same(ours(figure({ y_minor_ticks: null })), theirs(their))
})

test("the conformance check fails on a real difference", () => {
  assert.throws(() => same({ width: 300 }, { width: 301, tools: PY_DEFAULT_TOOLS }))
})
