/**
 * `p.hexbin(x, y, size)` (Python's `figure.hexbin`): bins the points into hex tiles and draws them as
 * one hex_tile renderer colored by count. Returns the renderer and the bins (q, r, counts).
 */
import { PlottingError } from "../core/errors.ts"
import { ColumnDataSource, Figure, type GlyphRenderer, type HexTile } from "../models/main.ts"
import { linear_cmap, type PaletteLike } from "../transform.ts"
import { hexbin, type HexBinData, type HexOrientation } from "../util/hex.ts"
import type { GlyphArgs } from "./glyph_api.ts"

/** Options of `hexbin`: those of `hex_tile` (but the data), plus the palette for the default coloring. */
export type HexbinArgs = Omit<GlyphArgs<typeof HexTile>, "q" | "r" | "size" | "orientation" | "aspect_scale" | "source"> & {
  orientation?: HexOrientation
  aspect_scale?: number
  /** Colors by count when `fill_color` is not given (default "Viridis256"). */
  palette?: PaletteLike
}

export interface HexbinMethod {
  /** Hex-bins (x, y) into tiles of `size` and draws them colored by count: [renderer, bins]. */
  hexbin(x: ArrayLike<number>, y: ArrayLike<number>, size: number, args?: HexbinArgs): [GlyphRenderer, HexBinData]
}

declare module "../models/plots/figure.ts" {
  interface Figure extends HexbinMethod {}
}

;(Figure.prototype as unknown as HexbinMethod).hexbin = function (this: Figure, x, y, size, args = {}) {
  if (x.length !== y.length)
    throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `hexbin(x, y, size): x and y must have the same length, got ${x.length} and ${y.length}`)
  if (!(typeof size === "number" && size > 0))
    throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `hexbin(x, y, size): size must be a positive number, got ${String(size)}`)
  const { orientation = "pointytop", aspect_scale = 1, palette = "Viridis256", line_color = null, fill_color, ...rest } = args
  const bins = hexbin(x, y, size, orientation, aspect_scale)
  const source = new ColumnDataSource({ data: { q: bins.q, r: bins.r, c: bins.counts } })
  const renderer = this.hex_tile({
    ...rest,
    q: "q",
    r: "r",
    size,
    orientation,
    aspect_scale,
    source,
    line_color,
    fill_color:
      fill_color ??
      linear_cmap(
        "c",
        palette,
        0,
        bins.counts.reduce((a, b) => Math.max(a, b), 0),
      ),
  })
  return [renderer, bins]
}
