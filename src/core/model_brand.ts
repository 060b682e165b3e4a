/**
 * The brand that identifies models. Modules below `has_props.ts` (reference walks, serializers, kinds)
 * need to tell a model from other objects but must not import the HasProps class (it imports them):
 * HasProps puts this symbol on its prototype, so every model and nothing else carries it.
 */
import type { HasProps } from "./has_props.ts"

/** Set to `true` on `HasProps.prototype`. Values from peers are JSON, so they can never carry a symbol key. */
export const MODEL_BRAND: unique symbol = Symbol("bokeh-ts.HasProps")

/** Whether `v` is a model (an instance of HasProps or a subclass). */
export function is_model(v: unknown): v is HasProps {
  return typeof v === "object" && v !== null && (v as { [MODEL_BRAND]?: unknown })[MODEL_BRAND] === true
}
