/**
 * Ranges, scales, axes and grids for `figure()`: `x_range: [0, 10]` → Range1d, a list of factors →
 * FactorRange, `x_axis_type: "log"` → LogScale + LogAxis, and so on, as Python's bokeh.plotting does.
 */
import { PlottingError } from "../core/errors.ts"
import {
  CategoricalAxis,
  CategoricalScale,
  ContinuousTicker,
  DataRange1d,
  DatetimeAxis,
  FactorRange,
  Grid,
  LinearAxis,
  LinearScale,
  LogAxis,
  LogScale,
  MercatorAxis,
  Range,
  Range1d,
  TimedeltaAxis,
  type Axis,
  type Plot,
  type Scale,
} from "../models/main.ts"

export type AxisType = "linear" | "log" | "datetime" | "timedelta" | "mercator" | "auto" | null
export type Factor = string | [string, string] | [string, string, string]
/** A range model, `[start, end]`, or a list of (possibly nested) categorical factors. */
export type RangeLike = Range | readonly [number | Date, number | Date] | readonly Factor[]
export type MinorTicks = number | "auto" | null

const is_factor = (v: unknown): boolean =>
  typeof v === "string" || (Array.isArray(v) && (v.length === 2 || v.length === 3) && v.every((s) => typeof s === "string"))

/** Python's `get_range`: a range model for the `x_range`/`y_range` option. */
export function get_range(range: RangeLike | null | undefined): Range {
  if (range == null) return new DataRange1d()
  if (range instanceof Range) return range
  if (Array.isArray(range)) {
    if (range.every(is_factor)) return new FactorRange({ factors: [...range] as never })
    if (range.length === 2) {
      const [start, end] = range.map((v) => (v instanceof Date ? v.getTime() : v)) as [number, number]
      return new Range1d({ start, end })
    }
  }
  throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `unable to determine a range for ${String(range)}: give a Range model, [start, end] or a list of factors`)
}

/** Python's `get_scale`: the scale that fits a range and axis type. */
export function get_scale(range: Range, axis_type: AxisType): Scale {
  if (range instanceof DataRange1d || range instanceof Range1d) return axis_type === "log" ? new LogScale() : new LinearScale()
  if (range instanceof FactorRange) return new CategoricalScale()
  throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `unable to determine a scale for ${String(range)}`)
}

function get_axis(axis_type: AxisType, range: Range, dim: 0 | 1): Axis | null {
  switch (axis_type) {
    case null:
      return null
    case "linear":
      return new LinearAxis()
    case "log":
      return new LogAxis()
    case "datetime":
      return new DatetimeAxis()
    case "timedelta":
      return new TimedeltaAxis()
    case "mercator": {
      const dimension = dim === 0 ? "lon" : "lat"
      const axis = new MercatorAxis()
      axis.ticker._set("dimension", dimension)
      axis.formatter._set("dimension", dimension)
      return axis
    }
    case "auto":
      if (range instanceof FactorRange) return new CategoricalAxis()
      return new LinearAxis()
    default:
      throw new PlottingError(
        "BK_ERR_PLOTTING_ARGUMENT",
        `unknown axis type ${JSON.stringify(axis_type)}: use "linear", "log", "datetime", "timedelta", "mercator", "auto" or null`,
      )
  }
}

function num_minor_ticks(axis: Axis, minor_ticks: MinorTicks): number {
  if (typeof minor_ticks === "number") {
    if (minor_ticks <= 1) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", "x_minor_ticks/y_minor_ticks must be > 1")
    return minor_ticks
  }
  if (minor_ticks === null) return 0
  return axis instanceof LogAxis ? 10 : 5
}

/**
 * Python's `process_axis_and_grid`: adds the axis for dimension `dim` at `location` and a Grid that
 * follows it. Grids refer to their axis (as Python does; BokehJS's figure refers to the ticker).
 */
export function process_axis_and_grid(
  plot: Plot,
  axis_type: AxisType,
  location: "above" | "below" | "left" | "right" | null,
  minor_ticks: MinorTicks,
  label: string | null,
  range: Range,
  dim: 0 | 1,
): void {
  const axis = get_axis(axis_type, range, dim)
  if (axis === null) return
  if (axis.ticker instanceof ContinuousTicker) axis.ticker._set("num_minor_ticks", num_minor_ticks(axis, minor_ticks))
  if (label) axis.axis_label = label
  plot.add_layout(new Grid({ dimension: dim, axis }), "center")
  if (location !== null) plot.add_layout(axis, location)
}
