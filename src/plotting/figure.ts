/**
 * `figure()`: a Figure (the plot model BokehJS registers as "Figure", as Python's `figure` is on the
 * wire) with ranges, scales, axes, grids and tools set up from Python's figure options, and the glyph
 * methods (`p.line(...)`, `p.vbar_stack(...)`, …) added to every Figure.
 */
import type { ModelArgs } from "../core/has_props.ts"
import { Figure, Title, type DataRange1d, type FactorRange, type FigureAttrs, type Range, type Range1d, type Scale } from "../models/main.ts"
import { get_range, get_scale, process_axis_and_grid, type AxisType, type Factor, type MinorTicks, type RangeLike } from "./axes.ts"
import { DEFAULT_TOOLS, process_active_tools, process_tools_arg, type ActiveTools, type ToolLike, type Tooltips } from "./tools.ts"
import "./figure_methods.ts"
import "./hexbin.ts"

export { Figure }

/** Options of `figure()` that are not Figure properties (Python's `FigureOptions`). */
export interface FigureOptions extends ActiveTools {
  /** Tools as "pan,wheel_zoom,…" or a list of names and tool models (default: Python's DEFAULT_TOOLS). */
  tools?: string | readonly ToolLike[]
  /** Tooltips for a hover tool (the one in `tools`, or a new one). */
  tooltips?: Tooltips | null
  /** A Range model, `[start, end]`, or a list of categorical factors (default: DataRange1d). */
  x_range?: RangeLike | null
  y_range?: RangeLike | null
  x_axis_type?: AxisType
  y_axis_type?: AxisType
  x_axis_location?: "above" | "below" | null
  y_axis_location?: "left" | "right" | null
  x_axis_label?: string | null
  y_axis_label?: string | null
  /** Minor ticks between major ticks: a number > 1, "auto" (5, or 10 on log axes) or null for none. */
  x_minor_ticks?: MinorTicks
  y_minor_ticks?: MinorTicks
  /** The title: text (made into a Title model, as Python does), a Title, or null for none. */
  title?: string | Title | null
}

/** Arguments of `figure()`: its options plus any Figure (Plot) property. */
export type FigureArgs = FigureOptions & Omit<ModelArgs<FigureAttrs, never>, keyof FigureOptions>

/**
 * The range model `figure()` makes of an `x_range`/`y_range` option, as Python's `get_range` does:
 * the model itself, Range1d for `[start, end]`, FactorRange for factors, DataRange1d when absent.
 */
export type RangeOf<O> = [O] extends [undefined | null]
  ? DataRange1d
  : O extends Range
    ? O
    : O extends readonly (number | Date)[]
      ? Range1d
      : O extends readonly Factor[]
        ? FactorRange
        : Range

/** The title `figure()` makes of its `title` option: a Title, or null when given null. */
export type TitleOf<O> = null extends O ? ([O] extends [null] ? null : Title | null) : Title

/**
 * What `figure()` returns: a Figure whose title is the Title model it made (Python's default too; null
 * only when the `title` option was null) and
 * whose ranges have the types their options gave. Assigning a string title still makes a Title, and
 * any range may be assigned, as in Python.
 */
export interface TypedFigure<XR extends Range = DataRange1d, YR extends Range = DataRange1d, T extends Title | null = Title> extends Figure {
  get title(): T
  set title(value: T | string)
  get x_range(): XR
  set x_range(value: Range)
  get y_range(): YR
  set y_range(value: Range)
}

/**
 * Creates a Figure ready for glyph methods, as Python's `bokeh.plotting.figure(...)`.
 *
 * ```ts
 * const p = figure({ title: "sines", x_range: [0, 10], tools: "pan,wheel_zoom,reset", height: 300 })
 * p.line(xs, ys, { line_width: 2, legend_label: "sin" })
 * ```
 */
export function figure<
  const XO extends RangeLike | null | undefined = undefined,
  const YO extends RangeLike | null | undefined = undefined,
  TO extends string | Title | null | undefined = undefined,
>(args: FigureArgs & { x_range?: XO; y_range?: YO; title?: TO } = {}): TypedFigure<RangeOf<XO>, RangeOf<YO>, TitleOf<TO>> {
  const {
    tools = DEFAULT_TOOLS,
    tooltips = null,
    x_range,
    y_range,
    x_axis_type = "auto",
    y_axis_type = "auto",
    x_axis_location = "below",
    y_axis_location = "left",
    x_axis_label = "",
    y_axis_label = "",
    x_minor_ticks = "auto",
    y_minor_ticks = "auto",
    active_drag,
    active_inspect,
    active_scroll,
    active_tap,
    active_multi,
    title,
    ...attrs
  } = args
  const xr = get_range(x_range)
  const yr = get_range(y_range)
  const plot_attrs: Record<string, unknown> = {
    ...attrs,
    // Python's default title is a Title model, so the server knows its id before a browser does.
    title: title === undefined || typeof title === "string" ? new Title({ text: title ?? "" }) : title,
    x_range: xr,
    y_range: yr,
    x_scale: (attrs as { x_scale?: Scale }).x_scale ?? get_scale(xr, x_axis_type),
    y_scale: (attrs as { y_scale?: Scale }).y_scale ?? get_scale(yr, y_axis_type),
  }
  const fig = new Figure(plot_attrs as ModelArgs<FigureAttrs, never>)
  process_axis_and_grid(fig, x_axis_type, x_axis_location, x_minor_ticks, x_axis_label, xr, 0)
  process_axis_and_grid(fig, y_axis_type, y_axis_location, y_minor_ticks, y_axis_label, yr, 1)
  const { tools: tool_objs, tool_map } = process_tools_arg(tools, tooltips)
  fig.add_tools(...tool_objs)
  process_active_tools(fig.toolbar, tool_map, { active_drag, active_inspect, active_scroll, active_tap, active_multi })
  return fig as TypedFigure<RangeOf<XO>, RangeOf<YO>, TitleOf<TO>>
}
