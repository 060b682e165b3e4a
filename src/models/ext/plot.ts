/** `add_layout`, `add_tools`, `add_glyph`, `add_renderers` for plots, as in Python Bokeh. */
import type { HasProps } from "../../core/has_props.ts"
import { Plot } from "../plots/plot.ts"
import { GlyphRenderer } from "../renderers/glyph_renderer.ts"
import { ColumnDataSource } from "../sources/column_data_source.ts"
import type { ColumnarDataSource } from "../sources/columnar_data_source.ts"
import type { Glyph } from "../glyphs/glyph.ts"
import type { Renderer } from "../renderers/renderer.ts"
import type { Tool } from "../tools/tool.ts"
import type { ToolProxy } from "../tools/tool_proxy.ts"

export type Place = "left" | "right" | "above" | "below" | "center"

declare module "../plots/plot.ts" {
  interface Plot {
    /** Adds an axis, annotation or other layout object to one side of the plot ("center" by default). */
    add_layout(obj: HasProps, place?: Place): void
    /** Appends tools to the plot's toolbar. */
    add_tools(...tools: (Tool | ToolProxy)[]): void
    /** Appends renderers to the plot. */
    add_renderers(...renderers: Renderer[]): void
    /** Adds a GlyphRenderer for `glyph` over `source` (a new empty ColumnDataSource by default). */
    add_glyph(glyph: Glyph, source?: ColumnarDataSource, attrs?: Record<string, unknown>): GlyphRenderer
  }
}

Plot.prototype.add_layout = function (this: Plot, obj: HasProps, place: Place = "center"): void {
  // Assign a new list (not an in-place push) so the change is seen and synced.
  this._set(place, [...(this._get(place) as HasProps[]), obj])
}

Plot.prototype.add_tools = function (this: Plot, ...tools: (Tool | ToolProxy)[]): void {
  this.toolbar.tools = [...this.toolbar.tools, ...tools]
}

Plot.prototype.add_renderers = function (this: Plot, ...renderers: Renderer[]): void {
  this.renderers = [...this.renderers, ...renderers]
}

Plot.prototype.add_glyph = function (this: Plot, glyph: Glyph, source?: ColumnarDataSource, attrs: Record<string, unknown> = {}): GlyphRenderer {
  const renderer = new GlyphRenderer({ ...attrs, glyph, data_source: source ?? new ColumnDataSource() } as never)
  this.add_renderers(renderer)
  return renderer
}
