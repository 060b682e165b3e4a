/**
 * Which BokehJS bundles a set of models needs, decided as Python Bokeh's `bokeh/embed/bundle.py` does
 * (`_use_widgets`, `_use_tables`, `_use_gl`, `_use_mathjax`): `bokeh` always; `bokeh-widgets` for any
 * Widget; `bokeh-tables` for any TableWidget; `bokeh-gl` for a Plot with `output_backend="webgl"`;
 * `bokeh-mathjax` for a math-text model or a text property holding TeX delimiters.
 *
 * Deliberate additions to Python's rules, so the choice is never narrower than Python's and never
 * leaves out what BokehJS needs: the other models of the `bokeh-tables` bundle (TableColumn, cell
 * formatters and editors, row aggregators, GroupingInfo) need it (and `bokeh-widgets`) like a
 * TableWidget does; and two things BokehJS renders with MathJax: a Markup widget other than
 * Div/Paragraph (Markdown, and any Markup) with TeX in its text, and a Plot whose `title` is still a
 * plain string with TeX in it.
 *
 * `bundle_trigger_names` gives the page's on-demand loader (./bundle_loader.ts) the model names that
 * need each bundle.
 */
import type { HasProps } from "../core/has_props.ts"
import { model_class_names, resolve_model_class } from "../core/registry.ts"
import { Axis } from "../models/axes/axis.ts"
import { TextAnnotation } from "../models/annotations/text_annotation.ts"
import { MathTextGlyph } from "../models/glyphs/math_text_glyph.ts"
import { Plot } from "../models/plots/plot.ts"
import { MathText } from "../models/text/math_text.ts"
import { Div } from "../models/widgets/div.ts"
import { Markdown } from "../models/widgets/markdown.ts"
import { Markup } from "../models/widgets/markup.ts"
import { AbstractSlider } from "../models/widgets/sliders/abstract_slider.ts"
import { CellEditor } from "../models/widgets/tables/cell_editors.ts"
import { CellFormatter } from "../models/widgets/tables/cell_formatters.ts"
import { GroupingInfo } from "../models/widgets/tables/data_cube.ts"
import { RowAggregator } from "../models/widgets/tables/row_aggregators.ts"
import { TableColumn } from "../models/widgets/tables/table_column.ts"
import { TableWidget } from "../models/widgets/tables/table_widget.ts"
import { Widget } from "../models/widgets/widget.ts"
import { BOKEHJS_BUNDLES } from "./resources.ts"

export type BundleName = (typeof BOKEHJS_BUNDLES)[number]

/**
 * The bundles a page showing `models` must load, in load order (as BOKEHJS_BUNDLES). Every model
 * reachable from the given ones counts, so passing a document's roots is enough.
 */
export function required_bundles(models: Iterable<HasProps>): BundleName[] {
  const needed = new Set<BundleName>(["bokeh"])
  const seen = new Set<HasProps>()
  for (const model of models) {
    if (seen.has(model)) continue
    for (const m of model.references()) {
      if (seen.has(m)) continue
      seen.add(m)
      for (const name of bundles_of(m)) needed.add(name)
    }
  }
  return BOKEHJS_BUNDLES.filter((name) => needed.has(name))
}

/** The optional bundles one model needs by itself (not looking at the models it references). */
export function bundles_of(model: HasProps): BundleName[] {
  const out = class_bundles(model.constructor as ModelClass)
  if (model instanceof Plot && model.output_backend === "webgl") out.push("bokeh-gl")
  if (!out.includes("bokeh-mathjax") && requires_mathjax(model)) out.push("bokeh-mathjax")
  return out
}

type ModelClass = abstract new (...args: never[]) => unknown

/** The models the `bokeh-tables` bundle registers: DataTable and what only a table uses. */
const TABLE_CLASSES: readonly ModelClass[] = [TableWidget, TableColumn, CellFormatter, CellEditor, RowAggregator, GroupingInfo]
const MATH_CLASSES: readonly ModelClass[] = [MathText, MathTextGlyph]

function is_a(cls: ModelClass, base: ModelClass): boolean {
  return cls === base || cls.prototype instanceof base
}

/** What every instance of `cls` needs, whatever its property values. */
function class_bundles(cls: ModelClass): BundleName[] {
  const out: BundleName[] = []
  const table = TABLE_CLASSES.some((base) => is_a(cls, base))
  // A table's classes build on the widgets bundle's (Python loads both for a TableWidget, a Widget).
  if (table || is_a(cls, Widget)) out.push("bokeh-widgets")
  if (table) out.push("bokeh-tables")
  if (MATH_CLASSES.some((base) => is_a(cls, base))) out.push("bokeh-mathjax")
  return out
}

/**
 * For each optional bundle, the names of the model types whose every instance needs it (a Slider
 * needs `bokeh-widgets`; a DataTable `bokeh-widgets` and `bokeh-tables`; a TeX `bokeh-mathjax`).
 * Needs that depend on values (`output_backend="webgl"`, TeX in a string) are not listed.
 */
export function bundle_trigger_names(): Record<Exclude<BundleName, "bokeh">, string[]> {
  const out: Record<Exclude<BundleName, "bokeh">, string[]> = { "bokeh-gl": [], "bokeh-widgets": [], "bokeh-tables": [], "bokeh-mathjax": [] }
  for (const name of model_class_names().sort()) {
    for (const bundle of class_bundles(resolve_model_class(name))) if (bundle !== "bokeh") out[bundle].push(name)
  }
  return out
}

/** Python's `_model_requires_mathjax`, plus the Markup and Plot.title cases named in the module comment. */
function requires_mathjax(model: HasProps): boolean {
  if (model instanceof TextAnnotation) return is_tex_text(model.text)
  if (model instanceof AbstractSlider) return is_tex_text(model.title)
  if (model instanceof Axis) {
    if (is_tex_text(model.axis_label)) return true
    const overrides = model.major_label_overrides
    const values = overrides instanceof Map ? [...overrides.values()] : Object.values(overrides)
    return values.some(is_tex_text)
  }
  if (model instanceof Div) return !model.disable_math && !model.render_as_text && is_tex_text(model.text)
  if (model instanceof Markup || model instanceof Markdown) return !model.disable_math && is_tex_text(model.text)
  if (model instanceof Plot) return is_tex_text(model.title)
  return false
}

// Python's `contains_tex_string`: any pair of MathJax's default delimiters ($$…$$, \[…\], \(…\)).
const TEX = /\$\$[^]*?\$\$|\\\[[^]*?\\\]|\\\([^]*?\\\)/

function is_tex_text(value: unknown): boolean {
  return typeof value === "string" && TEX.test(value)
}
