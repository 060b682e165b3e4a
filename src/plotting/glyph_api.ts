/**
 * The glyph methods of a figure (`p.line(...)`, `p.scatter(...)`, …): one per glyph of BokehJS's and
 * Python's plotting API, with the same positional parameters as BokehJS (`p.line(xs, ys, {...})`) and
 * the keyword form of Python (`p.line({x: "x", y: "y", source})`).
 */
import type { Field, Value, Expr } from "../core/property_specs.ts"
import type { HasProps } from "../core/has_props.ts"
import type { NDArray } from "../core/util/ndarray.ts"
import type { TypedArray } from "../core/types.ts"
import {
  AnnularWedge,
  Annulus,
  Arc,
  Bezier,
  Block,
  Circle,
  Ellipse,
  HArea,
  HAreaStep,
  HBar,
  HSpan,
  HStrip,
  HexTile,
  Image,
  ImageRGBA,
  ImageStack,
  ImageURL,
  Line,
  MathMLGlyph,
  MultiLine,
  MultiPolygons,
  Ngon,
  Patch,
  Patches,
  Quad,
  Quadratic,
  Ray,
  Rect,
  Scatter,
  Segment,
  Spline,
  Step,
  TeXGlyph,
  Text,
  VArea,
  VAreaStep,
  VBar,
  VSpan,
  VStrip,
  Wedge,
  type ColumnarDataSource,
  type CDSView,
  type CoordinateMapping,
  type GlyphRenderer,
} from "../models/main.ts"
import type { MarkerType } from "../core/enums.ts"
import type { LegendArgs } from "./legends.ts"

/** A value for a data ("spec") parameter: literal data, a column name, a constant, or field()/value()/expr(). */
export type VectorArg = readonly unknown[] | TypedArray | NDArray | number | string | boolean | null | Field | Value<unknown> | Expr | HasProps

/** Options every glyph method takes besides the glyph's own properties. */
export interface RendererArgs extends LegendArgs {
  /** The data: a ColumnarDataSource, or `{column: values}` (made into a ColumnDataSource). */
  source?: ColumnarDataSource | Record<string, readonly unknown[] | TypedArray | NDArray>
  view?: CDSView
  name?: string | null
  x_range_name?: string
  y_range_name?: string
  level?: "image" | "underlay" | "glyph" | "guide" | "annotation" | "overlay"
  visible?: boolean
  muted?: boolean
  coordinates?: CoordinateMapping | null
  /** Shorthand for every color of the glyph (line_color, fill_color, …); also with a prefix. */
  color?: VectorArg
  /** Shorthand for every alpha of the glyph (line_alpha, fill_alpha, …); also with a prefix. */
  alpha?: VectorArg
}

/** A glyph class's constructor attributes (whether or not the class requires some, like Circle's radius). */
type GlyphAttrs<C> = C extends abstract new (...args: infer P) => unknown ? NonNullable<P[0]> : never

type Feature = "line" | "fill" | "hatch" | "text" | "global"
/** The glyph's visual properties: `line_color`, `fill_alpha`, `hatch_pattern`, … */
type VisualName<C> = Extract<keyof GlyphAttrs<C>, `${Feature}_${string}`>
/** What follows the feature: `color`, `alpha`, `width`, … */
type Trait<N> = N extends `${Feature}_${infer T}` ? T : never
type StatePrefix = "selection_" | "nonselection_" | "hover_" | "muted_"

/** `selection_fill_color`, `hover_line_alpha`, `muted_alpha`, … (Python's per-state visuals). */
type StateVisuals<C> = { [K in `${StatePrefix}${VisualName<C> | Trait<VisualName<C>>}`]?: VectorArg }
/** Unprefixed trait shorthands (`width` for every `*_width`, …) where the glyph has no property of that name. */
type TraitShorthands<C> = { [K in Exclude<Trait<VisualName<C>>, keyof GlyphAttrs<C>>]?: VectorArg }

/**
 * Arguments of a glyph method: the glyph's properties (literal data allowed for data properties),
 * renderer options, and visual properties with `selection_`, `nonselection_`, `hover_`, `muted_`
 * prefixes. Every key is known, so a misspelled option is a type error, not a runtime one.
 */
export type GlyphArgs<C> = { [K in keyof GlyphAttrs<C>]?: GlyphAttrs<C>[K] | VectorArg } & RendererArgs & StateVisuals<C> & TraitShorthands<C>

type Positional<P extends readonly string[]> = { [I in keyof P]: VectorArg }

/** A glyph method: positional data parameters then options, or only options. */
export interface GlyphMethod<C, P extends readonly string[]> {
  (args?: GlyphArgs<C>): GlyphRenderer
  (...args: [...Positional<P>, GlyphArgs<C>?]): GlyphRenderer
}

/** Glyph method name → glyph class and positional parameters (the same as BokehJS's api/glyph_api). */
export const GLYPHS = {
  annular_wedge: [AnnularWedge, ["x", "y", "inner_radius", "outer_radius", "start_angle", "end_angle"]],
  annulus: [Annulus, ["x", "y", "inner_radius", "outer_radius"]],
  arc: [Arc, ["x", "y", "radius", "start_angle", "end_angle"]],
  bezier: [Bezier, ["x0", "y0", "x1", "y1", "cx0", "cy0", "cx1", "cy1"]],
  block: [Block, ["x", "y", "width", "height"]],
  circle: [Circle, ["x", "y", "radius"]],
  ellipse: [Ellipse, ["x", "y", "width", "height"]],
  harea: [HArea, ["x1", "x2", "y"]],
  harea_step: [HAreaStep, ["x1", "x2", "y", "step_mode"]],
  hbar: [HBar, ["y", "height", "right", "left"]],
  hspan: [HSpan, ["y"]],
  hstrip: [HStrip, ["y0", "y1"]],
  hex_tile: [HexTile, ["q", "r"]],
  image: [Image, ["color_mapper", "image", "x", "y", "dw", "dh"]],
  image_stack: [ImageStack, ["color_mapper", "image", "x", "y", "dw", "dh"]],
  image_rgba: [ImageRGBA, ["image", "x", "y", "dw", "dh"]],
  image_url: [ImageURL, ["url", "x", "y", "w", "h"]],
  line: [Line, ["x", "y"]],
  mathml: [MathMLGlyph, ["x", "y", "text"]],
  multi_line: [MultiLine, ["xs", "ys"]],
  multi_polygons: [MultiPolygons, ["xs", "ys"]],
  ngon: [Ngon, ["x", "y", "radius"]],
  patch: [Patch, ["x", "y"]],
  patches: [Patches, ["xs", "ys"]],
  quad: [Quad, ["left", "right", "bottom", "top"]],
  quadratic: [Quadratic, ["x0", "y0", "x1", "y1", "cx", "cy"]],
  ray: [Ray, ["x", "y", "length"]],
  rect: [Rect, ["x", "y", "width", "height"]],
  scatter: [Scatter, ["x", "y"]],
  segment: [Segment, ["x0", "y0", "x1", "y1"]],
  spline: [Spline, ["x", "y"]],
  step: [Step, ["x", "y", "mode"]],
  tex: [TeXGlyph, ["x", "y", "text"]],
  text: [Text, ["x", "y", "text"]],
  varea: [VArea, ["x", "y1", "y2"]],
  varea_step: [VAreaStep, ["x", "y1", "y2", "step_mode"]],
  vbar: [VBar, ["x", "width", "top", "bottom"]],
  vspan: [VSpan, ["x"]],
  vstrip: [VStrip, ["x0", "x1"]],
  wedge: [Wedge, ["x", "y", "radius", "start_angle", "end_angle"]],
} as const

/**
 * Marker shortcuts: `p.square(...)` is `p.scatter({..., marker: "square"})`. Deprecated in Bokeh 3.4
 * in favour of `scatter`, but still offered by Python and BokehJS.
 */
export const MARKER_SHORTCUTS = [
  "asterisk",
  "circle_cross",
  "circle_dot",
  "circle_x",
  "circle_y",
  "cross",
  "dash",
  "diamond",
  "diamond_cross",
  "diamond_dot",
  "dot",
  "hex",
  "hex_dot",
  "inverted_triangle",
  "plus",
  "square",
  "square_cross",
  "square_dot",
  "square_pin",
  "square_x",
  "star",
  "star_dot",
  "triangle",
  "triangle_dot",
  "triangle_pin",
  "x",
  "y",
] as const satisfies readonly MarkerType[]

type Glyphs = typeof GLYPHS
export type GlyphMethods = { [M in keyof Glyphs]: GlyphMethod<Glyphs[M][0], Glyphs[M][1]> }
export type MarkerMethods = { [M in (typeof MARKER_SHORTCUTS)[number]]: GlyphMethod<typeof Scatter, ["x", "y"]> }
