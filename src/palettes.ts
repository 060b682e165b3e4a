/**
 * Python's bokeh.palettes: the standard palettes (generated from BokehJS, see scripts/gen-palettes.ts)
 * and the functions that derive palettes of any size from them.
 */
import { PlottingError } from "./core/errors.ts"
import { Cividis256, Greys256, Inferno256, Magma256, Plasma256, Turbo256, Viridis256, type Palette } from "./palettes/all.ts"

export * from "./palettes/all.ts"

/** `n` colors evenly picked from `palette` (both ends included), as Python's `linear_palette`. */
export function linear_palette(palette: Palette, n: number): Palette {
  if (!Number.isInteger(n) || n < 0) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `linear_palette: n must be a non-negative integer, got ${n}`)
  if (n > palette.length) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `linear_palette: requested ${n} colors from a palette of ${palette.length}`)
  if (n === 1) return [palette[0]!]
  // Same sample points as numpy.linspace(0, len - 1, n): i * step, the last point exactly len - 1.
  const last = palette.length - 1
  const step = last / (n - 1)
  return Array.from({ length: n }, (_, i) => palette[i === n - 1 ? last : Math.floor(i * step)]!)
}

/**
 * `n` colors: the first `midpoint` share from `palette1`, the rest from `palette2` reversed,
 * as Python's `diverging_palette`.
 */
export function diverging_palette(palette1: Palette, palette2: Palette, n: number, midpoint = 0.5): Palette {
  const n1 = Math.round(midpoint * n)
  const n2 = Math.round((1 - midpoint) * n)
  return [...linear_palette(palette1, n1), ...linear_palette([...palette2].reverse(), n2)]
}

/** `n` colors from Magma256. */
export const magma = (n: number): Palette => linear_palette(Magma256, n)
/** `n` colors from Inferno256. */
export const inferno = (n: number): Palette => linear_palette(Inferno256, n)
/** `n` colors from Plasma256. */
export const plasma = (n: number): Palette => linear_palette(Plasma256, n)
/** `n` colors from Viridis256. */
export const viridis = (n: number): Palette => linear_palette(Viridis256, n)
/** `n` colors from Cividis256. */
export const cividis = (n: number): Palette => linear_palette(Cividis256, n)
/** `n` colors from Turbo256. */
export const turbo = (n: number): Palette => linear_palette(Turbo256, n)
/** `n` colors from Greys256. */
export const grey = (n: number): Palette => linear_palette(Greys256, n)
/** `n` colors from Greys256. */
export const gray = grey
