/**
 * Python's bokeh.plotting._stack: argument lists for the stacked glyph methods (`vbar_stack`, …).
 * Each stacker becomes one glyph call whose coordinates are `stack(...)` expressions of the stackers
 * so far; an option given as an array gives one element to each call.
 */
import { PlottingError } from "../core/errors.ts"
import { stack } from "../transform.ts"

type Options = Record<string, unknown>

function check(stackers: readonly string[], specs: readonly string[], kw: Options): void {
  for (const spec of specs) {
    if (spec in kw) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `stack property '${spec}' cannot be given as an option`)
  }
  const lengths = new Set(
    Object.values(kw)
      .filter(Array.isArray)
      .map((v) => v.length),
  )
  if (lengths.size > 1)
    throw new PlottingError(
      "BK_ERR_PLOTTING_ARGUMENT",
      `array options for broadcasting must all be the same length, got lengths ${[...lengths].sort().join(", ")}`,
    )
  if (lengths.size === 1 && !lengths.has(stackers.length))
    throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", "array options for broadcasting must be as long as the list of stackers")
}

function broadcast(kw: Options, i: number): Options {
  const result: Options = {}
  for (const [key, value] of Object.entries(kw)) result[key] = Array.isArray(value) ? value[i] : value
  return result
}

/** Options for each stacker, with `spec` the running sum of the stackers (e.g. "y" for vline_stack). */
export function single_stack(stackers: readonly string[], spec: string, kw: Options): Options[] {
  check(stackers, [spec], kw)
  return stackers.map((name, i) => ({ name, [spec]: stack(...stackers.slice(0, i + 1)), ...broadcast(kw, i) }))
}

/** Options for each stacker, with `spec0`/`spec1` the sums without and with it (e.g. bottom/top). */
export function double_stack(stackers: readonly string[], spec0: string, spec1: string, kw: Options): Options[] {
  check(stackers, [spec0, spec1], kw)
  return stackers.map((name, i) => ({
    name,
    [spec0]: stack(...stackers.slice(0, i)),
    [spec1]: stack(...stackers.slice(0, i + 1)),
    ...broadcast(kw, i),
  }))
}
