/** Color validation as BokehJS's `Color` kind accepts it (CSS4 strings, packed RGBA ints, tuples). */
import { named_colors } from "./named_colors.ts"

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i
const FUNCTIONAL = /^(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(.*\)$/i

export function is_color_string(s: string): boolean {
  const c = s.trim().toLowerCase()
  return c === "transparent" || named_colors.has(c) || HEX.test(c) || FUNCTIONAL.test(c)
}

export function is_color(v: unknown): boolean {
  if (typeof v === "string") return is_color_string(v)
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v <= 0xffffffff
  if (Array.isArray(v) && (v.length === 3 || v.length === 4)) {
    const rgb = v.slice(0, 3).every((x) => Number.isInteger(x) && x >= 0 && x <= 255)
    return rgb && (v.length === 3 || (typeof v[3] === "number" && v[3] >= 0 && v[3] <= 1))
  }
  return false
}
