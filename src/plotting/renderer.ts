/**
 * What every glyph method does (Python's `create_renderer`, BokehJS's `Figure._glyph`): read positional
 * and keyword arguments, put literal data into the data source, split visuals into the glyph and its
 * nonselection/selection/hover/muted variants, build the GlyphRenderer, add it to the plot and legend.
 */
import { PlottingError } from "../core/errors.ts"
import { SpecKind } from "../core/property_specs.ts"
import { NDArray } from "../core/util/ndarray.ts"
import { is_plain_object, is_typed_array } from "../core/util/types.ts"
import { ColumnDataSource, ColumnarDataSource, GlyphRenderer, type Glyph, type Plot } from "../models/main.ts"
import { pop_legend_args, update_legend } from "./legends.ts"
import { has_prefixed, pop_visuals } from "./visuals.ts"

/** A glyph class as the glyph methods need it. */
export type GlyphClass = (new (
  attrs: Record<string, unknown>,
) => Glyph) & { readonly __name__: string; readonly __props__: Readonly<Record<string, { kind: unknown }>> }

/** Arguments passed through to the GlyphRenderer (Python's RENDERER_ARGS). */
const RENDERER_ARGS = ["name", "coordinates", "x_range_name", "y_range_name", "level", "view", "visible", "muted"] as const

const is_vectorized = (v: Record<string, unknown>): boolean => "field" in v || "value" in v || "expr" in v

function signature(method: string, positional: readonly string[]): string {
  return `the method signature is ${method}(${[...positional, "{...}?"].join(", ")}) or ${method}({...})`
}

/**
 * Merges positional arguments (named after `positional`) and a trailing options object, as BokehJS's
 * plotting API does: `line(xs, ys)`, `line(xs, ys, {color})`, or `line({x, y, source})`.
 */
export function parse_glyph_args(method: string, positional: readonly string[], args: readonly unknown[]): Record<string, unknown> {
  const n_args = args.length
  const n_pos = positional.length
  const is_options = (v: unknown): v is Record<string, unknown> => is_plain_object(v) && !is_vectorized(v)
  if (n_args === 0) return {}
  if (n_args === 1 && is_options(args[0])) return { ...args[0] }
  if (n_args === n_pos || n_args === n_pos + 1) {
    const attrs: Record<string, unknown> = {}
    positional.forEach((param, i) => {
      const arg = args[i]
      if (is_options(arg))
        throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `invalid value for '${param}' parameter at position ${i}; ${signature(method, positional)}`)
      attrs[param] = arg
    })
    if (n_args === n_pos + 1) {
      const opts = args[n_pos]
      if (!is_options(opts)) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `expected an options object last; ${signature(method, positional)}`)
      for (const key in opts) {
        if (key in attrs) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `'${key}' was given both by position and in the options of ${method}()`)
        attrs[key] = opts[key]
      }
    }
    return attrs
  }
  throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `wrong number of arguments to ${method}(); ${signature(method, positional)}`)
}

function is_sequence(v: unknown): boolean {
  return Array.isArray(v) || is_typed_array(v) || v instanceof NDArray
}

/** Is `value` for spec property `name` of `cls` literal data that belongs in the data source? */
function is_literal_column(cls: GlyphClass, name: string, value: unknown): boolean {
  const kind = cls.__props__[name]?.kind
  if (!(kind instanceof SpecKind) || !kind.vector || !is_sequence(value)) return false
  // A sequence may also be one value: a color tuple, a dash pattern. Coordinates never are (Python).
  return kind.strings === "field" || !kind.value_kind.valid(value)
}

/**
 * Moves literal sequences in `attrs` into `data` under the property's name (or a unique variant
 * `name__1`, … when that column already holds other data) and refers to them by field.
 */
function columnize(cls: GlyphClass, attrs: Record<string, unknown>, data: Map<string, unknown>): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (!is_literal_column(cls, name, value)) continue
    let column = name
    if (data.has(name) && data.get(name) !== value) {
      let i = 1
      while (data.has(`${name}__${i}`)) i++
      column = `${name}__${i}`
    }
    data.set(column, value)
    attrs[name] = { field: column }
  }
}

/** The data source for the `source` argument: a source model, a `{column: values}` object, or a new one. */
function get_source(source: unknown): ColumnarDataSource {
  if (source == null) return new ColumnDataSource()
  if (source instanceof ColumnarDataSource) return source
  if (is_plain_object(source)) return new ColumnDataSource({ data: source as never })
  throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `'source' must be a ColumnarDataSource or a {column: values} object, got ${String(source)}`)
}

/**
 * Creates a glyph of class `cls` and its GlyphRenderer on `plot` from a glyph method's arguments.
 * `overrides` are fixed attributes of the method (e.g. `marker` of the marker shortcuts).
 */
export function create_renderer(
  plot: Plot,
  cls: GlyphClass,
  method: string,
  positional: readonly string[],
  args: readonly unknown[],
  overrides: Record<string, unknown> = {},
): GlyphRenderer {
  const kwargs = { ...parse_glyph_args(method, positional, args), ...overrides }

  const source = get_source(kwargs["source"])
  delete kwargs["source"]
  const legend_args = pop_legend_args(kwargs)
  const renderer_args: Record<string, unknown> = {}
  for (const name of RENDERER_ARGS) {
    if (name in kwargs) {
      renderer_args[name] = kwargs[name]
      delete kwargs[name]
    }
  }

  const prop_names = Object.keys(cls.__props__)
  const glyph_visuals = pop_visuals(prop_names, kwargs)
  // Python always gives a nonselection and a muted glyph, a selection or hover glyph only when asked.
  const nonselection_visuals = pop_visuals(prop_names, kwargs, "nonselection_", glyph_visuals, { alpha: 0.1 })
  const selection_visuals = has_prefixed(kwargs, "selection_") ? pop_visuals(prop_names, kwargs, "selection_", glyph_visuals) : null
  const hover_visuals = has_prefixed(kwargs, "hover_") ? pop_visuals(prop_names, kwargs, "hover_", glyph_visuals) : null
  const muted_visuals = pop_visuals(prop_names, kwargs, "muted_", glyph_visuals, { alpha: 0.2 })

  const data = new Map<string, unknown>(Object.entries((source as ColumnDataSource).data ?? {}))
  const n_columns = data.size
  for (const attrs of [kwargs, glyph_visuals, nonselection_visuals, selection_visuals, hover_visuals, muted_visuals]) {
    if (attrs !== null) columnize(cls, attrs, data)
  }
  if (data.size !== n_columns) {
    if (!(source instanceof ColumnDataSource))
      throw new PlottingError(
        "BK_ERR_PLOTTING_ARGUMENT",
        `${method}(): literal data needs a ColumnDataSource, not a ${(source.constructor as { __name__?: string }).__name__}`,
      )
    source.data = Object.fromEntries(data) as never
  }

  const make = (visuals: Record<string, unknown> | null): Glyph | null => (visuals === null ? null : new cls({ ...kwargs, ...visuals }))
  const renderer = new GlyphRenderer({
    ...renderer_args,
    data_source: source,
    glyph: make(glyph_visuals),
    nonselection_glyph: make(nonselection_visuals) ?? "auto",
    selection_glyph: make(selection_visuals) ?? "auto",
    hover_glyph: make(hover_visuals),
    muted_glyph: make(muted_visuals) ?? "auto",
  } as never)
  plot.add_renderers(renderer)
  update_legend(plot, legend_args, renderer)
  return renderer
}
