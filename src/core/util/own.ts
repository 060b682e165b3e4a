/**
 * Own-key access for objects whose keys come from peers. A key such as `constructor`, `toString` or
 * `isPrototypeOf` must never find the value Object.prototype has under that name, and assigning to
 * `__proto__` must never change a prototype: `own` reads only own keys, `set_own` always creates (or
 * overwrites) an own data property, as `Object.fromEntries` and JSON.parse do.
 */

/** Whether `obj` has `key` as its own property. */
export function has_own(obj: object, key: PropertyKey): boolean {
  return Object.hasOwn(obj, key)
}

/** `obj[key]` if `key` is an own property of `obj`, else undefined. */
export function own<T = unknown>(obj: object, key: PropertyKey): T | undefined {
  return Object.hasOwn(obj, key) ? ((obj as Record<PropertyKey, unknown>)[key] as T) : undefined
}

/** Sets `obj[key] = value` as an own data property, even for `__proto__`. */
export function set_own(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })
  else obj[key] = value
}
