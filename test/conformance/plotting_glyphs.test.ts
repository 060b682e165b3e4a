/**
 * Glyph methods against BokehJS's: the same call on a figure builds the same renderers, glyphs, data
 * sources and legends (see plotting_oracle.ts for the documented Python/BokehJS differences).
 */
import { test } from "node:test"
import { figure } from "../../src/plotting/figure.ts"
import { ColumnDataSource } from "../../src/models/main.ts"
import { linear_cmap, factor_cmap } from "../../src/transform.ts"
import { Viridis256, Category10_3 } from "../../src/palettes.ts"
import { B, BP, PY_DEFAULT_TOOLS, assert_same, normalize_bokehjs, ours, theirs, type NormalizeOptions } from "./plotting_oracle.ts"
import type { Figure } from "../../src/plotting/figure.ts"
import type { BokehJS } from "../../scripts/bokehjs/load.ts"

const M = (name: string): (new (attrs?: Record<string, unknown>) => BokehJS) => B.Models.get(name)
const F = (name: string) => ({ field: name })

/** Runs `build` on one of our figures and `build_theirs` on a BokehJS figure with the same options. */
function same(fig_opts: Record<string, unknown>, build: (p: Figure) => void, build_theirs: (p: BokehJS) => void, norm: NormalizeOptions = {}): void {
  const p = figure(fig_opts)
  build(p)
  const q = BP.figure({ tools: PY_DEFAULT_TOOLS, ...fig_opts })
  build_theirs(q)
  assert_same(ours(p), theirs(normalize_bokehjs(q, norm)))
}

const xs = [1, 2, 3, 4]
const ys = [4, 1, 3, 2]

test("line(xs, ys) and line(xs, ys, {...}) with arrays", () => {
  same(
    {},
    (p) => p.line(xs, ys),
    (q) => q.line(xs, ys),
  )
  same(
    {},
    (p) => p.line(xs, ys, { line_width: 3, color: "red", alpha: 0.5, line_dash: "dashed" }),
    (q) => q.line(xs, ys, { line_width: 3, color: "red", alpha: 0.5, line_dash: "dashed" }),
  )
})

test("typed arrays are data columns", () => {
  same(
    {},
    (p) => p.line(Float64Array.from(xs), Float64Array.from(ys)),
    (q) => q.line(xs, ys),
  )
})

test("line({x: 'x', y: 'y', source}) names columns of the source", () => {
  const data = { x: xs, y: ys }
  same(
    {},
    (p) => p.line({ x: "x", y: "y", source: new ColumnDataSource({ data }), line_width: 2 }),
    (q) => q.line({ x: F("x"), y: F("y"), source: new (M("ColumnDataSource"))({ data }), line_width: 2 }),
  )
})

test("scatter with markers, sizes and colors, marker shortcuts", () => {
  same(
    {},
    (p) => p.scatter(xs, ys, { marker: "square", size: 12, fill_color: "orange", line_color: null }),
    (q) => q.scatter(xs, ys, { marker: "square", size: 12, fill_color: "orange", line_color: null }),
  )
  same(
    {},
    (p) => p.scatter(xs, ys, { size: [5, 10, 15, 20], color: ["red", "green", "blue", "black"] }),
    (q) => q.scatter(xs, ys, { size: [5, 10, 15, 20], color: ["red", "green", "blue", "black"] }),
  )
  same(
    {},
    (p) => p.triangle(xs, ys, { size: 7 }),
    (q) => q.triangle(xs, ys, { size: 7 }),
  )
})

test("vbar and hbar on categorical ranges", () => {
  const fruits = ["apples", "pears", "plums"]
  same(
    { x_range: fruits },
    (p) => p.vbar({ x: fruits, top: [5, 3, 4], width: 0.9 }),
    (q) => q.vbar({ x: fruits, top: [5, 3, 4], width: 0.9 }),
  )
  same(
    { y_range: fruits },
    (p) => p.hbar(fruits, 0.5, [1, 2, 3], 0, { fill_alpha: 0.3 }),
    (q) => q.hbar(fruits, 0.5, [1, 2, 3], 0, { fill_alpha: 0.3 }),
  )
})

test("quad, rect, patches, multi_line, text", () => {
  same(
    {},
    (p) => p.quad([1, 2], [2, 3], [0, 0], [4, 5], { hatch_pattern: "/" }),
    (q) => q.quad([1, 2], [2, 3], [0, 0], [4, 5], { hatch_pattern: "/" }),
  )
  same(
    {},
    (p) => p.rect(xs, ys, 0.5, 0.5, { angle: 0.3 }),
    (q) => q.rect(xs, ys, 0.5, 0.5, { angle: 0.3 }),
  )
  same(
    {},
    (p) =>
      p.patches(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [1, 3, 1],
          [2, 4, 2],
        ],
        { color: ["red", "blue"] },
      ),
    (q) =>
      q.patches(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [1, 3, 1],
          [2, 4, 2],
        ],
        { color: ["red", "blue"] },
      ),
  )
  same(
    {},
    (p) =>
      p.multi_line(
        [
          [1, 2],
          [3, 4, 5],
        ],
        [
          [1, 2],
          [1, 2, 3],
        ],
        { line_width: 2 },
      ),
    (q) =>
      q.multi_line(
        [
          [1, 2],
          [3, 4, 5],
        ],
        [
          [1, 2],
          [1, 2, 3],
        ],
        { line_width: 2 },
      ),
  )
  same(
    {},
    (p) => p.text(xs, ys, ["a", "b", "c", "d"], { text_font_size: "12px", angle: 0.1 }),
    (q) => q.text(xs, ys, ["a", "b", "c", "d"], { text_font_size: "12px", angle: 0.1 }),
  )
})

test("image with a color mapper", () => {
  const img = [
    [
      [1, 2],
      [3, 4],
    ],
  ]
  same(
    {},
    (p) => p.image({ image: img, x: 0, y: 0, dw: 10, dh: 10 }),
    (q) => q.image({ image: img, x: 0, y: 0, dw: 10, dh: 10 }),
  )
})

test("legend_label, legend_field, legend_group", () => {
  same(
    {},
    (p) => {
      p.line(xs, ys, { legend_label: "a" })
      p.scatter(xs, ys, { legend_label: "a" })
      p.line(xs, xs, { legend_label: "b" })
    },
    (q) => {
      q.line(xs, ys, { legend_label: "a" })
      q.scatter(xs, ys, { legend_label: "a" })
      q.line(xs, xs, { legend_label: "b" })
    },
  )
  const data = { x: xs, y: ys, kind: ["u", "v", "u", "w"] }
  same(
    {},
    (p) => p.scatter({ x: "x", y: "y", source: new ColumnDataSource({ data }), legend_field: "kind" }),
    (q) => q.scatter({ x: F("x"), y: F("y"), source: new (M("ColumnDataSource"))({ data }), legend_field: "kind" }),
  )
  same(
    {},
    (p) => p.scatter({ x: "x", y: "y", source: new ColumnDataSource({ data }), legend_group: "kind" }),
    (q) => q.scatter({ x: F("x"), y: F("y"), source: new (M("ColumnDataSource"))({ data }), legend_group: "kind" }),
  )
})

test("linear_cmap and factor_cmap", () => {
  const data = { x: xs, y: ys, kind: ["u", "v", "u", "w"] }
  same(
    {},
    (p) => p.scatter({ x: "x", y: "y", source: new ColumnDataSource({ data }), fill_color: linear_cmap("y", "Viridis256", 0, 5) }),
    (q) =>
      q.scatter({
        x: F("x"),
        y: F("y"),
        source: new (M("ColumnDataSource"))({ data }),
        fill_color: { field: "y", transform: new (M("LinearColorMapper"))({ palette: [...Viridis256], low: 0, high: 5 }) },
      }),
  )
  same(
    {},
    (p) => p.scatter({ x: "x", y: "y", source: new ColumnDataSource({ data }), color: factor_cmap("kind", Category10_3, ["u", "v", "w"]) }),
    (q) =>
      q.scatter({
        x: F("x"),
        y: F("y"),
        source: new (M("ColumnDataSource"))({ data }),
        color: { field: "kind", transform: new (M("CategoricalColorMapper"))({ palette: [...Category10_3], factors: ["u", "v", "w"] }) },
      }),
  )
})

test("selection_, nonselection_, hover_, muted_ visuals", () => {
  const opts = { color: "navy", selection_color: "red", nonselection_alpha: 0.3, hover_fill_color: "gold", muted_alpha: 0.05, size: 9 }
  same(
    {},
    (p) => p.scatter(xs, ys, opts),
    (q) => q.scatter(xs, ys, opts),
    { selection: true, hover: true },
  )
})

test("hexbin is BokehJS's hex_tile of the bins, colored by count", () => {
  const x = [0, 0.1, 3, 3.1, 3.05, -2]
  const y = [0, 0.1, 3, 3.1, 3.0, 1]
  let bins: { q: Int32Array; r: Int32Array; counts: Int32Array } | null = null
  same(
    {},
    (p) => {
      bins = p.hexbin(x, y, 0.5)[1]
    },
    (q) => {
      const { q: bq, r: br, counts } = bins!
      q.hex_tile({
        q: F("q"),
        r: F("r"),
        size: 0.5,
        orientation: "pointytop",
        aspect_scale: 1,
        line_color: null,
        source: new (M("ColumnDataSource"))({ data: { q: bq, r: br, c: counts } }),
        fill_color: { field: "c", transform: new (M("LinearColorMapper"))({ palette: [...Viridis256], low: 0, high: Math.max(...counts) }) },
      })
    },
  )
})
