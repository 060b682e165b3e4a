/** Number formatting shared by the results tables. */

/** Thousands separators from 1,000 up, one decimal from 10, three below. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (v >= 1000) return Math.round(v).toLocaleString("en-US")
  if (v >= 10) return v.toFixed(1)
  return v.toFixed(3)
}
