/**
 * Vectorized ("spec") properties: a glyph's `x`, `fill_color`, `size`, … take a plain value, a column of
 * the data source (`{field}`), a value with a transform (`{value, transform}`) or an expression
 * (`{expr}`). Strings follow Python Bokeh: for numeric specs a string names a column; for color,
 * marker, enum specs a valid value stays a value and anything else names a column.
 */
import { HasProps } from "./has_props.ts"
import * as enums from "./enums.ts"
import * as k from "./kinds.ts"
import { Kind } from "./kinds.ts"
import { NDArray } from "./util/ndarray.ts"
import { is_plain_object, is_typed_array } from "./util/types.ts"

export type Units = string
export interface Field {
  field: string
  transform?: HasProps
  units?: Units
}
export interface Value<T> {
  value: T
  transform?: HasProps
  units?: Units
}
export interface Expr {
  expr: HasProps
  transform?: HasProps
  units?: Units
}
/** A bare string names a column (or, for color/marker/enum specs, may be a valid value). */
export type Spec<T> = T | string | Field | Value<T> | Expr

/** `field("x")`: the column "x" of the renderer's data source. */
export function field(name: string, transform?: HasProps): Field {
  return transform !== undefined ? { field: name, transform } : { field: name }
}
/** `value(v)`: a constant for every data point. */
export function value<T>(v: T, transform?: HasProps): Value<T> {
  return transform !== undefined ? { value: v, transform } : { value: v }
}
/** `expr(e)`: values computed in the browser by an Expression model. */
export function expr(e: HasProps, transform?: HasProps): Expr {
  return transform !== undefined ? { expr: e, transform } : { expr: e }
}

/**
 * Whether a spec property's plain-object value is a spec rep rather than a value: exactly one of
 * `value`, `field` or `expr` is present, BokehJS's own rule. Anything else (`{}`, `{pattern: texture}`
 * for `hatch_extra`) is a dict value.
 */
export function is_spec_rep(v: Record<string, unknown>): boolean {
  return Number(v["value"] !== undefined) + Number(v["field"] !== undefined) + Number(v["expr"] !== undefined) === 1
}

/** How a bare string assigned to the spec is read. */
type StringMode = "field" | "value" | "value_if_valid"

export class SpecKind<T = unknown> extends Kind<Spec<T>> {
  constructor(
    readonly name: string,
    readonly value_kind: Kind,
    readonly strings: StringMode,
    readonly vector: boolean,
    readonly units: readonly string[] | null = null,
  ) {
    super()
  }

  valid(v: unknown): boolean {
    if (this.value_kind.valid(v)) return true
    if (typeof v === "string") return this.vector && this.strings !== "value"
    if (!is_plain_object(v)) return false
    const { field, value, expr, transform, units, ...rest } = v
    if (Object.keys(rest).length > 0) return false
    const n = Number(field !== undefined) + Number("value" in v) + Number(expr !== undefined)
    if (n !== 1) return false
    if (field !== undefined && (!this.vector || typeof field !== "string")) return false
    // BokehJS validates nothing inside {value} of a vector spec, and its own figure() sends typed arrays
    // there (scatter({x: Float64Array})); accept those (typed arrays, NDArrays) from peers.
    if ("value" in v && !this.value_kind.valid(value) && !(this.vector && (is_typed_array(value) || value instanceof NDArray))) return false
    if (expr !== undefined && !(this.vector && expr instanceof HasProps)) return false
    if (transform != null && !(transform instanceof HasProps)) return false
    if (units != null && (this.units === null || !this.units.includes(units as string))) return false
    return true
  }

  override coerce(v: unknown): unknown {
    if (typeof v === "string" && this.vector) {
      if (this.strings === "field") return { field: v }
      if (this.strings === "value_if_valid" && !this.value_kind.valid(v)) return { field: v }
    }
    return v
  }

  override may_have_refs(): boolean {
    return true
  }

  toString(): string {
    return this.name
  }
}

const Factor = k.Or(k.Str, k.Tuple(k.Str, k.Str), k.Tuple(k.Str, k.Str, k.Str))
const Coordinate = k.Or(k.Float, Factor)
const Numbers = k.Arrayable(k.Float)
const LineDashValue = k.Or(k.Enum(...enums.LineDash), k.Regex(/^(\d+(\s+\d+)*)?$/), k.List(k.Float))
const FontSize = k.Regex(/^[0-9]*\.?[0-9]+(%|em|ex|ch|ic|rem|vw|vh|vi|vb|vmin|vmax|cm|mm|q|in|pc|pt|px)$/i)

const vec = <T>(name: string, kind: Kind<T>, strings: StringMode, units: readonly string[] | null = null) => new SpecKind<T>(name, kind, strings, true, units)
const scalar = <T>(name: string, kind: Kind<T>) => new SpecKind<T>(name, kind, "value", false)

// Vector specs, named as in BokehJS's core/properties.
export const XCoordinateSpec = vec("XCoordinateSpec", Coordinate, "field")
export const YCoordinateSpec = vec("YCoordinateSpec", Coordinate, "field")
export const XOrYCoordinateSpec = vec("XOrYCoordinateSpec", Coordinate, "field")
export const XCoordinateSeqSpec = vec("XCoordinateSeqSpec", k.Or(Numbers, k.List(Factor)), "field")
export const YCoordinateSeqSpec = vec("YCoordinateSeqSpec", k.Or(Numbers, k.List(Factor)), "field")
export const XCoordinateSeqSeqSeqSpec = vec("XCoordinateSeqSeqSeqSpec", k.List(k.List(k.List(k.Float))), "field")
export const YCoordinateSeqSeqSeqSpec = vec("YCoordinateSeqSeqSeqSpec", k.List(k.List(k.List(k.Float))), "field")
export const NumberSpec = vec("NumberSpec", k.Float, "field")
export const IntSpec = vec("IntSpec", k.Int, "field")
export const BooleanSpec = vec("BooleanSpec", k.Bool, "field")
export const ScreenSizeSpec = vec("ScreenSizeSpec", k.NonNegative(k.Float), "field")
export const AngleSpec = vec("AngleSpec", k.Float, "field", enums.AngleUnits)
export const DistanceSpec = vec("DistanceSpec", k.Float, "field", enums.SpatialUnits)
export const NullDistanceSpec = vec("NullDistanceSpec", k.Nullable(k.Float), "field", enums.SpatialUnits)
export const ColorSpec = vec("ColorSpec", k.Nullable(k.Color), "value_if_valid")
export const StringSpec = vec("StringSpec", k.Str, "field")
export const NullStringSpec = vec("NullStringSpec", k.Nullable(k.Str), "field")
export const HatchPatternSpec = vec("NullStringSpec", k.Nullable(k.Enum(...enums.HatchPatternType)), "value_if_valid")
export const NDArraySpec = vec("NDArraySpec", k.Unknown, "field")
export const AnySpec = vec("AnySpec", k.Unknown, "field")
export const ArraySpec = vec("ArraySpec", k.List(k.Unknown), "field")
export const MarkerSpec = vec("MarkerSpec", k.Nullable(k.Or(k.Enum(...enums.MarkerType), k.PrefixedStr("@"))), "value_if_valid")
export const LineJoinSpec = vec("LineJoinSpec", k.Enum(...enums.LineJoin), "value_if_valid")
export const LineCapSpec = vec("LineCapSpec", k.Enum(...enums.LineCap), "value_if_valid")
export const LineDashSpec = vec("LineDashSpec", LineDashValue, "value")
export const FontSpec = vec("FontSpec", k.Str, "value")
export const FontSizeSpec = vec("FontSizeSpec", FontSize, "value_if_valid")
export const FontStyleSpec = vec("FontStyleSpec", k.Enum(...enums.FontStyle), "value_if_valid")
export const TextAlignSpec = vec("TextAlignSpec", k.Enum(...enums.TextAlign), "value_if_valid")
export const TextBaselineSpec = vec("TextBaselineSpec", k.Enum(...enums.TextBaseline), "value_if_valid")
export const TextAnchorSpec = vec("TextAnchorSpec", k.Unknown, "value")
export const OutlineShapeSpec = vec("OutlineShapeSpec", k.Enum(...enums.OutlineShapeName), "value_if_valid")

// Scalar specs: a value (or `{value}`) only, never a column.
export const NumberScalar = scalar("NumberScalar", k.Float)
export const ColorScalar = scalar("ColorScalar", k.Nullable(k.Color))
export const StringScalar = scalar("StringScalar", k.Str)
export const NullStringScalar = scalar("NullStringScalar", k.Nullable(k.Str))
export const DictScalar = scalar("DictScalar", k.Dict(k.Unknown))
export const AnyScalar = scalar("AnyScalar", k.Unknown)
export const ArrayScalar = scalar("ArrayScalar", k.List(k.Unknown))
export const LineJoinScalar = scalar("LineJoinScalar", k.Enum(...enums.LineJoin))
export const LineCapScalar = scalar("LineCapScalar", k.Enum(...enums.LineCap))
export const LineDashScalar = scalar("LineDashScalar", LineDashValue)
export const FontScalar = scalar("FontScalar", k.Str)
export const FontSizeScalar = scalar("FontSizeScalar", FontSize)
export const FontStyleScalar = scalar("FontStyleScalar", k.Enum(...enums.FontStyle))
export const TextAlignScalar = scalar("TextAlignScalar", k.Enum(...enums.TextAlign))
export const TextBaselineScalar = scalar("TextBaselineScalar", k.Enum(...enums.TextBaseline))
/** BokehJS's `p.Font`: a primitive font-family string. */
export const Font: Kind<string> = k.Str
