/**
 * Python's bokeh.transform: helpers that pair a column with a transform or mapper, for glyph
 * properties: `fill_color: linear_cmap("y", "Viridis256", 0, 10)`, `x: dodge("x", 0.2, p.x_range)`.
 */
import { PlottingError } from "./core/errors.ts"
import type { HasProps } from "./core/has_props.ts"
import { expr, field, type Expr, type Field } from "./core/property_specs.ts"
import type { Color, Factor } from "./core/types.ts"
import type { MarkerType } from "./core/enums.ts"
import {
  CategoricalColorMapper,
  CategoricalMarkerMapper,
  CategoricalPatternMapper,
  CumSum,
  Dodge,
  EqHistColorMapper,
  Jitter,
  LinearColorMapper,
  LogColorMapper,
  Stack,
  type Range,
} from "./models/main.ts"
import { named_palettes, type Palette } from "./palettes/all.ts"

/** A palette, or the name of a standard one ("Viridis256"). */
export type PaletteLike = Palette | string

function resolve_palette(palette: PaletteLike): string[] {
  if (typeof palette !== "string") return [...palette]
  const found = named_palettes[palette]
  if (found === undefined)
    throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `unknown palette name '${palette}': use a name like "Viridis256" or pass a list of colors`)
  return [...found]
}

type Factors = readonly Factor[]

export interface ContinuousCmapOptions {
  /** Color for values below `low` (the lowest palette color if null). */
  low_color?: Color | null
  /** Color for values above `high` (the highest palette color if null). */
  high_color?: Color | null
  /** Color for NaN values. */
  nan_color?: Color
}

/** Maps the column linearly from [low, high] onto `palette`. */
export function linear_cmap(field_name: string, palette: PaletteLike, low: number, high: number, options: ContinuousCmapOptions = {}): Field {
  const { low_color = null, high_color = null, nan_color = "gray" } = options
  return field(field_name, new LinearColorMapper({ palette: resolve_palette(palette), low, high, low_color, high_color, nan_color }))
}

/** Maps the column logarithmically from [low, high] onto `palette`. */
export function log_cmap(field_name: string, palette: PaletteLike, low: number, high: number, options: ContinuousCmapOptions = {}): Field {
  const { low_color = null, high_color = null, nan_color = "gray" } = options
  return field(field_name, new LogColorMapper({ palette: resolve_palette(palette), low, high, low_color, high_color, nan_color }))
}

/** Maps the column onto `palette` by histogram equalization; `low`/`high` are computed from data if null. */
export function eqhist_cmap(
  field_name: string,
  palette: PaletteLike,
  options: ContinuousCmapOptions & { low?: number | null; high?: number | null; bins?: number } = {},
): Field {
  const { low = null, high = null, low_color = null, high_color = null, nan_color = "gray", bins } = options
  return field(
    field_name,
    new EqHistColorMapper({ palette: resolve_palette(palette), low, high, low_color, high_color, nan_color, ...(bins !== undefined ? { bins } : {}) }),
  )
}

export interface FactorMapOptions {
  /** Index in each (nested) factor where the part to map starts. */
  start?: number
  /** Index where it ends (exclusive), or null for the end. */
  end?: number | null
}

/** Maps the categorical column onto `palette`, factor i → color i. */
export function factor_cmap(field_name: string, palette: PaletteLike, factors: Factors, options: FactorMapOptions & { nan_color?: Color } = {}): Field {
  const { start = 0, end = null, nan_color = "gray" } = options
  return field(field_name, new CategoricalColorMapper({ palette: resolve_palette(palette), factors: [...factors] as never, start, end, nan_color }))
}

/** Maps the categorical column onto hatch patterns. */
export function factor_hatch(field_name: string, patterns: readonly string[], factors: Factors, options: FactorMapOptions = {}): Field {
  const { start = 0, end = null } = options
  return field(field_name, new CategoricalPatternMapper({ patterns: [...patterns] as never, factors: [...factors] as never, start, end }))
}

/** Maps the categorical column onto scatter markers. */
export function factor_mark(field_name: string, markers: readonly MarkerType[], factors: Factors, options: FactorMapOptions = {}): Field {
  const { start = 0, end = null } = options
  return field(field_name, new CategoricalMarkerMapper({ markers: [...markers], factors: [...factors] as never, start, end }))
}

/** Shifts the column by `value` (in `range`'s units, e.g. for categorical ranges). */
export function dodge(field_name: string, value: number, range: Range | null = null): Field {
  return field(field_name, new Dodge({ value, range }))
}

/** Adds random noise of `width` to the column. */
export function jitter(field_name: string, width: number, options: { mean?: number; distribution?: "uniform" | "normal"; range?: Range | null } = {}): Field {
  const { mean = 0, distribution = "uniform", range = null } = options
  return field(field_name, new Jitter({ mean, width, distribution, range }))
}

/** The cumulative sum of the column (optionally starting with 0). */
export function cumsum(field_name: string, include_zero = false): Expr {
  return expr(new CumSum({ field: field_name, include_zero }))
}

/** The sum of the given columns, row by row (for stacked glyphs). */
export function stack(...fields: string[]): Expr {
  return expr(new Stack({ fields }))
}

/** The column with any transform model applied. */
export function transform(field_name: string, transform: HasProps): Field {
  return field(field_name, transform)
}
