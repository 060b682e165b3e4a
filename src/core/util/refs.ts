/** Finding models inside property values (arrays, plain objects, Maps, Sets, spec objects). */
import type { HasProps } from "../has_props.ts"
import { is_plain_object } from "./types.ts"

// Imported lazily to avoid a module cycle: has_props imports this file.
let HasPropsClass: (abstract new (...args: never[]) => HasProps) | undefined
export function _set_has_props_class(cls: abstract new (...args: never[]) => HasProps): void {
  HasPropsClass = cls
}

export function is_model(v: unknown): v is HasProps {
  return HasPropsClass !== undefined && v instanceof HasPropsClass
}

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
