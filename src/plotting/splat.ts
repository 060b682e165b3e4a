/**
 * A list of models whose properties can be set all at once, like Python's `_list_attr_splat`:
 * `p.xaxis.axis_label = "time"` labels every x axis. Reading a property gives the first model's value.
 */
import type { HasProps } from "../core/has_props.ts"

/** A read-only list of models that also sets properties on each of them. */
export type Splat<T extends HasProps> = readonly T[] & Omit<T, keyof (readonly unknown[])>

export function splat<T extends HasProps>(models: readonly T[]): Splat<T> {
  const list = Object.freeze([...models])
  return new Proxy(list, {
    get(target, key, receiver) {
      if (typeof key === "symbol" || key in target) return Reflect.get(target, key, receiver)
      return target.length > 0 ? (target[0] as unknown as Record<string, unknown>)[key] : undefined
    },
    set(target, key, value) {
      if (typeof key === "symbol") return false
      for (const model of target) model._set(key, value)
      return true
    },
  }) as unknown as Splat<T>
}
