/**
 * Which BokehJS bundles a set of models needs, decided as Python Bokeh's `bokeh/embed/bundle.py` does
 * (`_use_widgets`, `_use_tables`, `_use_gl`, `_use_mathjax`): `bokeh` always; `bokeh-widgets` for any
 * Widget; `bokeh-tables` for any TableWidget; `bokeh-gl` for a Plot with `output_backend="webgl"`;
 * `bokeh-mathjax` for a math-text model or a text property holding TeX delimiters.
 *
 * Two deliberate additions to Python's rules, both things BokehJS renders with MathJax: a Markup widget
 * other than Div/Paragraph (Markdown, and any Markup) with TeX in its text, and a Plot whose `title` is
 * still a plain string with TeX in it. So the choice is never narrower than Python's.
 */
import type { HasProps } from "../core/has_props.ts"
import { Axis } from "../models/axes/axis.ts"
import { TextAnnotation } from "../models/annotations/text_annotation.ts"
import { MathTextGlyph } from "../models/glyphs/math_text_glyph.ts"
import { Plot } from "../models/plots/plot.ts"
import { MathText } from "../models/text/math_text.ts"
import { Div } from "../models/widgets/div.ts"
import { Markdown } from "../models/widgets/markdown.ts"
import { Markup } from "../models/widgets/markup.ts"
import { AbstractSlider } from "../models/widgets/sliders/abstract_slider.ts"
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
  const out: BundleName[] = []
  if (model instanceof Widget) out.push("bokeh-widgets")
  if (model instanceof TableWidget) out.push("bokeh-tables")
  if (model instanceof Plot && model.output_backend === "webgl") out.push("bokeh-gl")
  if (model instanceof MathText || model instanceof MathTextGlyph || requires_mathjax(model)) out.push("bokeh-mathjax")
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
