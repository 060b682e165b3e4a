/**
 * A model's `on_change` callbacks are app code: each runs on its own, so one that throws (or rejects)
 * is reported against its session (see app_context.ts) and never stops the others or the code that
 * made the change; a returned promise is awaited by the operation that made the change.
 */
import { is_thenable, report_fault, track_app_result } from "./app_context.ts"
import { callback_observer, observe_callback } from "./callback_timing.ts"
import type { HasProps } from "./has_props.ts"

/** An `on_change` callback; it may be async (the operation that made the change awaits it). */
export type ChangeCallback<T = unknown> = (attr: string, old: T, value: T) => unknown

/** Runs a model's `on_change` callbacks for one change. */
export function invoke_change_callbacks(model: HasProps, attr: string, callbacks: readonly ChangeCallback[], old: unknown, value: unknown): void {
  // call_app, unrolled: this runs for every change of a watched property.
  const timing = callback_observer()
  for (const cb of [...callbacks]) {
    const started = timing !== null ? performance.now() : 0
    let result: unknown
    try {
      result = cb(attr, old, value)
    } catch (error) {
      if (timing !== null) observe_callback(timing, "on_change", started, undefined)
      report_fault(error, describe_change_callback(model, attr, cb))
      continue
    }
    if (timing !== null) observe_callback(timing, "on_change", started, result)
    if (is_thenable(result)) track_app_result(result, () => describe_change_callback(model, attr, cb))
  }
}

function describe_change_callback(model: HasProps, attr: string, cb: ChangeCallback): string {
  return `on_change('${attr}') callback ${cb.name || "(anonymous)"} of ${model}`
}
