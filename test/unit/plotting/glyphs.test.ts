import { test } from "node:test"
import assert from "node:assert/strict"
import { figure } from "../../../src/plotting/figure.ts"
import { ColumnDataSource, Line, Scatter, Stack, VBar, LegendItem } from "../../../src/models/main.ts"
import { parse_glyph_args } from "../../../src/plotting/renderer.ts"
import { pop_visuals } from "../../../src/plotting/visuals.ts"

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c

test("parse_glyph_args: positional, positional + options, options only", () => {
  assert.deepEqual(parse_glyph_args("line", ["x", "y"], [[1], [2]]), { x: [1], y: [2] })
  assert.deepEqual(parse_glyph_args("line", ["x", "y"], [[1], "y", { color: "red" }]), { x: [1], y: "y", color: "red" })
  assert.deepEqual(parse_glyph_args("line", ["x", "y"], [{ x: "a" }]), { x: "a" })
  assert.deepEqual(parse_glyph_args("hspan", ["y"], [{ y: 1 }]), { y: 1 })
  assert.deepEqual(parse_glyph_args("hspan", ["y"], [{ value: 1 }]), { y: { value: 1 } })
  assert.throws(() => parse_glyph_args("line", ["x", "y"], [[1], [2], [3], [4]]), code("BK_ERR_PLOTTING_ARGUMENT"))
  assert.throws(() => parse_glyph_args("line", ["x", "y"], [{ a: 1 }, [2]]), code("BK_ERR_PLOTTING_ARGUMENT"))
  assert.throws(() => parse_glyph_args("line", ["x", "y"], [[1], [2], { x: 3 }]), /both by position/)
})

test("pop_visuals: prefixes, traits, defaults", () => {
  const names = ["x", "line_color", "line_alpha", "fill_color", "fill_alpha", "hatch_color", "hatch_alpha"]
  const props: Record<string, unknown> = { color: "red", fill_alpha: 0.5, selection_color: "blue", x: 1 }
  const glyph = pop_visuals(names, props)
  assert.deepEqual(glyph, { line_color: "red", line_alpha: 1, fill_color: "red", fill_alpha: 0.5, hatch_color: "red", hatch_alpha: 1 })
  assert.deepEqual(props, { selection_color: "blue", x: 1 })
  const ns = pop_visuals(names, props, "nonselection_", glyph, { alpha: 0.1 })
  assert.equal(ns["fill_alpha"], 0.1)
  assert.equal(ns["line_color"], "red")
  const sel = pop_visuals(names, props, "selection_", glyph)
  assert.equal(sel["fill_color"], "blue")
  assert.deepEqual(props, { x: 1 })
})

test("glyph methods: arrays become columns; strings name columns; renderer options", () => {
  const p = figure()
  const r = p.line([1, 2], new Float64Array([3, 4]), { name: "l", line_color: "red", visible: false })
  assert.ok(r.glyph instanceof Line)
  assert.deepEqual(r.glyph.x, { field: "x" })
  assert.deepEqual(Object.keys((r.data_source as ColumnDataSource).data), ["x", "y"])
  assert.equal(r.name, "l")
  assert.equal(r.visible, false)
  assert.ok(r.nonselection_glyph instanceof Line)
  assert.equal(r.selection_glyph, "auto")
  assert.equal(r.hover_glyph, null)
  assert.equal((r.nonselection_glyph as Line).line_alpha, 0.1)
  assert.equal((r.muted_glyph as Line).line_alpha, 0.2)
  assert.deepEqual(p.renderers, [r])
  const source = new ColumnDataSource({ data: { a: [1, 2], b: [3, 4] } })
  const s = p.scatter({ x: "a", y: "b", source, size: [5, 6], marker: "*" })
  assert.equal(s.data_source, source)
  assert.deepEqual((s.glyph as Scatter).x, { field: "a" })
  assert.deepEqual((s.glyph as Scatter).size, { field: "size" })
  assert.equal((s.glyph as Scatter).marker, "asterisk")
  assert.deepEqual(Object.keys(source.data), ["a", "b", "size"])
  assert.equal(p.square([1], [2]).glyph._get("marker") !== undefined, true)
  // @ts-expect-error misspelled options are type errors; plain JavaScript callers get the runtime error
  assert.throws(() => p.line([1], [2], { bogus: 1 }), /Line has no property 'bogus'/)
  assert.throws(() => p.line({ x: [1], y: [2], legend_label: "a", legend_field: "b" }), code("BK_ERR_PLOTTING_ARGUMENT"))
})

test("a color tuple and a dash pattern stay values", () => {
  const p = figure()
  const r = p.multi_line([[1, 2]], [[3, 4]], { line_color: [255, 0, 0], line_dash: [4, 4] })
  assert.deepEqual(Object.keys((r.data_source as ColumnDataSource).data), ["xs", "ys"])
})

test("legend_label shares items; legend_group makes one item per value", () => {
  const p = figure()
  const a = p.line([1], [2], { legend_label: "a" })
  const b = p.scatter([1], [2], { legend_label: "a" })
  assert.equal(p.legend.items.length, 1)
  assert.deepEqual(p.legend.items[0]!.renderers, [a, b])
  const c = p.scatter({ x: [1, 2, 3], y: [1, 2, 3], source: new ColumnDataSource({ data: { k: ["z", "y", "z"] } }), legend_group: "k" })
  const items = p.legend.items.slice(1) as LegendItem[]
  assert.deepEqual(
    items.map((i) => [i.label, i.index, i.renderers[0]]),
    [
      [{ value: "y" }, 1, c],
      [{ value: "z" }, 0, c],
    ],
  )
  assert.throws(() => p.line({ x: [1], y: [1], legend_group: "nope" }), /does not exist/)
})

test("vbar_stack: one renderer per stacker with stack() expressions and broadcast options", () => {
  const p = figure({ x_range: ["a", "b"] })
  const source = new ColumnDataSource({ data: { x: ["a", "b"], y1: [1, 2], y2: [3, 4] } })
  const rs = p.vbar_stack(["y1", "y2"], { x: "x", width: 0.9, color: ["red", "blue"], source })
  assert.equal(rs.length, 2)
  const [g0, g1] = rs.map((r) => r.glyph as VBar)
  assert.deepEqual((g0!.bottom as { expr: Stack }).expr.fields, [])
  assert.deepEqual((g1!.top as { expr: Stack }).expr.fields, ["y1", "y2"])
  assert.equal(g1!.fill_color, "blue")
  assert.equal(rs[0]!.name, "y1")
  assert.throws(() => p.vbar_stack(["y1", "y2"], { x: "x", color: ["red"], source }), code("BK_ERR_PLOTTING_ARGUMENT"))
  assert.throws(() => p.vbar_stack(["y1"], { top: "x" }), code("BK_ERR_PLOTTING_ARGUMENT"))
})

test("glyph options are typed: per-state visuals and trait shorthands compile, misspellings do not", () => {
  const p = figure()
  const r = p.scatter([1, 2], [3, 4], {
    size: 8,
    selection_fill_color: "red",
    nonselection_alpha: 0.2,
    hover_line_color: "black",
    muted_alpha: 0.1,
    color: "navy",
  })
  assert.equal(r.selection_glyph !== "auto" && r.selection_glyph !== null ? (r.selection_glyph as Scatter).fill_color : null, "red")
  p.line([1, 2], [3, 4], { width: 3, dash: "dashed", legend_label: "l" })
  // @ts-expect-error line_widht is not an option of line()
  assert.throws(() => p.line([1], [2], { line_widht: 2 }), /line_widht/)
  // @ts-expect-error a line has no fill, so no selection_fill_color
  assert.throws(() => p.line([1], [2], { selection_fill_color: "red" }))
})
