/** Structural equality used to skip no-op property changes (as Bokeh and BokehJS do). */
import { is_plain_object, is_typed_array } from "./types.ts"

export function is_equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    if (a.length !== bb.length) return false
    for (let i = 0; i < a.length; i++) if (!is_equal(a[i], bb[i])) return false
    return true
  }
  if (is_typed_array(a)) {
    const bb = b as typeof a
    if (a.length !== bb.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== bb[i] && !(Number.isNaN(a[i]) && Number.isNaN(bb[i]))) return false
    return true
  }
  if (a instanceof Map) {
    const bb = b as Map<unknown, unknown>
    if (a.size !== bb.size) return false
    for (const [k, v] of a) if (!bb.has(k) || !is_equal(v, bb.get(k))) return false
    return true
  }
  if (a instanceof Set) {
    const bb = b as Set<unknown>
    if (a.size !== bb.size) return false
    for (const v of a) if (!bb.has(v)) return false
    return true
  }
  if (a instanceof Date) return a.getTime() === (b as Date).getTime()
  if (is_plain_object(a)) {
    const bb = b as Record<string, unknown>
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(bb).length) return false
    for (const k of ka) if (!Object.hasOwn(bb, k) || !is_equal(a[k], bb[k])) return false
    return true
  }
  return false // distinct models and other class instances compare by identity
}
