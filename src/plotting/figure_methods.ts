/**
 * Methods of every Figure: the glyph methods, the marker shortcuts, the stacked glyph methods, and
 * Python's accessors for axes, grids and the legend (`p.xaxis`, `p.ygrid`, `p.legend`).
 */
import { PlottingError } from "../core/errors.ts"
import { Axis, Figure, Grid, Scatter, type GlyphRenderer, type Legend } from "../models/main.ts"
import { GLYPHS, MARKER_SHORTCUTS, type GlyphArgs, type GlyphMethods, type MarkerMethods } from "./glyph_api.ts"
import { get_or_create_legend } from "./legends.ts"
import { create_renderer, type GlyphClass } from "./renderer.ts"
import { splat, type Splat } from "./splat.ts"
import { double_stack, single_stack } from "./stack.ts"
import type { HArea, HBar, Line, VArea, VBar } from "../models/main.ts"

/** Options of a stacked glyph method: any of the glyph's arguments; arrays give one element per stacker. */
export type StackArgs<C> = GlyphArgs<C>

export interface StackMethods {
  /** One VBar per stacker, stacked bottom to top (`bottom`/`top` are stack() sums of the stackers). */
  vbar_stack(stackers: readonly string[], args?: StackArgs<typeof VBar>): GlyphRenderer[]
  /** One HBar per stacker, stacked left to right. */
  hbar_stack(stackers: readonly string[], args?: StackArgs<typeof HBar>): GlyphRenderer[]
  /** One VArea per stacker, stacked bottom to top. */
  varea_stack(stackers: readonly string[], args?: StackArgs<typeof VArea>): GlyphRenderer[]
  /** One HArea per stacker, stacked left to right. */
  harea_stack(stackers: readonly string[], args?: StackArgs<typeof HArea>): GlyphRenderer[]
  /** One Line per stacker, with `y` the running sum of the stackers. */
  vline_stack(stackers: readonly string[], args?: StackArgs<typeof Line>): GlyphRenderer[]
  /** One Line per stacker, with `x` the running sum of the stackers. */
  hline_stack(stackers: readonly string[], args?: StackArgs<typeof Line>): GlyphRenderer[]
}

export interface FigureAccessors {
  /** The x axes (below and above); setting a property sets it on each. */
  readonly xaxis: Splat<Axis>
  /** The y axes (left and right). */
  readonly yaxis: Splat<Axis>
  /** All axes. */
  readonly axis: Splat<Axis>
  /** The grids of dimension 0. */
  readonly xgrid: Splat<Grid>
  /** The grids of dimension 1. */
  readonly ygrid: Splat<Grid>
  /** All grids. */
  readonly grid: Splat<Grid>
  /** The plot's legend, created (in the center) on first access if there is none. */
  readonly legend: Legend
}

declare module "../models/plots/figure.ts" {
  interface Figure extends GlyphMethods, MarkerMethods, StackMethods, FigureAccessors {}
}

/** Python's marker abbreviations for `scatter({marker})`. */
const MARKER_ABBREVIATIONS: Readonly<Record<string, string>> = {
  "*": "asterisk",
  "+": "cross",
  o: "circle",
  "o+": "circle_cross",
  "o.": "circle_dot",
  ox: "circle_x",
  oy: "circle_y",
  "-": "dash",
  v: "inverted_triangle",
  "^": "triangle",
  "^.": "triangle_dot",
}

const proto = Figure.prototype as unknown as Record<string, unknown>

for (const [method, [cls, positional]] of Object.entries(GLYPHS)) {
  proto[method] = function (this: Figure, ...args: unknown[]): GlyphRenderer {
    return create_renderer(this, cls as unknown as GlyphClass, method, positional, args)
  }
}

proto["scatter"] = function (this: Figure, ...args: unknown[]): GlyphRenderer {
  // Markers given by abbreviation are spelled out, as Python's scatter() does.
  const last = args[args.length - 1] as Record<string, unknown> | undefined
  const marker = last?.["marker"]
  const overrides = typeof marker === "string" && marker in MARKER_ABBREVIATIONS ? { marker: MARKER_ABBREVIATIONS[marker] } : {}
  return create_renderer(this, Scatter as unknown as GlyphClass, "scatter", ["x", "y"], args, overrides)
}

for (const marker of MARKER_SHORTCUTS) {
  proto[marker] = function (this: Figure, ...args: unknown[]): GlyphRenderer {
    return create_renderer(this, Scatter as unknown as GlyphClass, marker, ["x", "y"], args, { marker })
  }
}

const STACKS: Readonly<Record<keyof StackMethods, readonly [glyph: keyof GlyphMethods, ...specs: string[]]>> = {
  vbar_stack: ["vbar", "bottom", "top"],
  hbar_stack: ["hbar", "left", "right"],
  varea_stack: ["varea", "y1", "y2"],
  harea_stack: ["harea", "x1", "x2"],
  vline_stack: ["line", "y"],
  hline_stack: ["line", "x"],
}

for (const [method, [glyph, ...specs]] of Object.entries(STACKS)) {
  proto[method] = function (this: Figure, stackers: readonly string[], args: Record<string, unknown> = {}): GlyphRenderer[] {
    if (!Array.isArray(stackers)) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `${method}(stackers, {...}): stackers must be a list of column names`)
    const calls = specs.length === 1 ? single_stack(stackers, specs[0]!, args) : double_stack(stackers, specs[0]!, specs[1]!, args)
    const glyph_method = this[glyph] as (args: Record<string, unknown>) => GlyphRenderer
    return calls.map((kw) => glyph_method.call(this, kw))
  }
}

function define_getter(name: keyof FigureAccessors, get: (this: Figure) => unknown): void {
  Object.defineProperty(Figure.prototype, name, { get, configurable: true, enumerable: false })
}

const axes = (...sides: Array<readonly unknown[]>): Axis[] => sides.flat().filter((r): r is Axis => r instanceof Axis)
const grids = (fig: Figure, dims: readonly number[]): Grid[] => fig.center.filter((r): r is Grid => r instanceof Grid && dims.includes(r.dimension))

define_getter("xaxis", function () {
  return splat(axes(this.below, this.above))
})
define_getter("yaxis", function () {
  return splat(axes(this.left, this.right))
})
define_getter("axis", function () {
  return splat(axes(this.below, this.above, this.left, this.right))
})
define_getter("xgrid", function () {
  return splat(grids(this, [0]))
})
define_getter("ygrid", function () {
  return splat(grids(this, [1]))
})
define_getter("grid", function () {
  return splat(grids(this, [0, 1]))
})
define_getter("legend", function () {
  return get_or_create_legend(this)
})
