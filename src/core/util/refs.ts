/** Finding models inside property values (arrays, plain objects, Maps, Sets, spec objects). */
import type { HasProps } from "../has_props.ts"
import { is_model } from "../model_brand.ts"
import { is_plain_object } from "./types.ts"

/** Calls `visit` for every model found in `value`, without descending into the models themselves. */
export function visit_models(value: unknown, visit: (m: HasProps) => void): void {
  if (typeof value !== "object" || value === null) return
  if (is_model(value)) {
    visit(value)
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === "object" && item !== null) visit_models(item, visit)
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      visit_models(k, visit)
      visit_models(v, visit)
    }
  } else if (value instanceof Set) {
    for (const v of value) visit_models(v, visit)
  } else if (is_plain_object(value)) {
    for (const k in value) visit_models(value[k], visit)
  }
}
