/**
 * `legend_label`, `legend_field` and `legend_group` of glyph methods (Python's bokeh.plotting._legends):
 * each adds or extends a LegendItem of the plot's legend, creating the Legend on first use.
 */
import { PlottingError } from "../core/errors.ts"
import { is_equal } from "../core/util/eq.ts"
import { ColumnDataSource, Legend, LegendItem, type GlyphRenderer, type Plot } from "../models/main.ts"

export interface LegendArgs {
  /** A fixed legend label for this renderer (items with equal labels are shared). */
  legend_label?: string
  /** A column whose values label the legend, evaluated in the browser. */
  legend_field?: string
  /** A column grouped here: one item per distinct value, sorted. */
  legend_group?: string
}

/** The plot's (first) Legend, created and added to the center if there is none yet. */
export function get_or_create_legend(plot: Plot): Legend {
  const existing = [...plot.center, ...plot.above, ...plot.below, ...plot.left, ...plot.right].find((r) => r instanceof Legend)
  if (existing !== undefined) return existing as Legend
  const legend = new Legend()
  plot.add_layout(legend)
  return legend
}

/** Takes the legend arguments out of `attrs`; at most one may be given. */
export function pop_legend_args(attrs: Record<string, unknown>): LegendArgs {
  const result: LegendArgs = {}
  for (const key of ["legend_label", "legend_field", "legend_group"] as const) {
    const value = attrs[key]
    delete attrs[key]
    if (value == null) continue
    if (typeof value !== "string") throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `${key} must be a string, got ${String(value)}`)
    result[key] = value
  }
  if ("legend" in attrs)
    throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", "'legend' is not supported (removed in Bokeh 3): use legend_label, legend_field or legend_group")
  if (Object.keys(result).length > 1) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", "only one of legend_label, legend_field, legend_group can be given")
  return result
}

function add_to_item(legend: Legend, label: { value: string } | { field: string }, renderer: GlyphRenderer): void {
  const item = legend.items.find((item) => is_equal(item.label, label))
  if (item !== undefined) item.renderers = [...item.renderers, renderer]
  else legend.items = [...legend.items, new LegendItem({ label, renderers: [renderer] })]
}

/** Adds `renderer` to the plot's legend as the legend arguments say. */
export function update_legend(plot: Plot, args: LegendArgs, renderer: GlyphRenderer): void {
  if (args.legend_label !== undefined) add_to_item(get_or_create_legend(plot), { value: args.legend_label }, renderer)
  else if (args.legend_field !== undefined) add_to_item(get_or_create_legend(plot), { field: args.legend_field }, renderer)
  else if (args.legend_group !== undefined) {
    const name = args.legend_group
    const source = renderer.data_source
    if (!(source instanceof ColumnDataSource)) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", "legend_group needs a ColumnDataSource")
    const column = source.data[name]
    if (column === undefined) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `column to be grouped does not exist in glyph data source: ${name}`)
    const values = Array.from(column as ArrayLike<unknown>)
    const distinct = [...new Set(values)].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0))
    const legend = get_or_create_legend(plot)
    const items = distinct.map((v) => new LegendItem({ label: { value: String(v) }, renderers: [renderer], index: values.indexOf(v) }))
    legend.items = [...legend.items, ...items]
  }
}
