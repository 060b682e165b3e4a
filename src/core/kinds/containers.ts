/**
 * Container kinds (`List`, `Tuple`, `Dict`, `Mapping`, `Set`, `Struct`, …): each checks its items against
 * an item kind, and coerces them when the item kind does (a plain object given for a `Mapping` becomes a Map).
 */
import { NDArray } from "../util/ndarray.ts"
import { is_plain_object, is_typed_array } from "../util/types.ts"
import { Kind, Unknown } from "./primitives.ts"

class TupleKind<T> extends Kind<T> {
  constructor(readonly types: Kind[]) {
    super()
  }
  valid(v: unknown): boolean {
    // Optional trailing members (Opt) may be left out, as in BokehJS.
    if (!Array.isArray(v) || v.length > this.types.length) return false
    // A hole (undefined before a later member) has no wire form: JSON would send null there.
    let last = v.length - 1
    while (last >= 0 && v[last] === undefined) last--
    for (let i = 0; i < last; i++) if (v[i] === undefined) return false
    return this.types.every((t, i) => (i < v.length ? t.valid(v[i]) : t.valid(undefined)))
  }
  override coerce(v: unknown): unknown {
    const out = (v as unknown[]).map((x, i) => this.types[i]!.coerce(x))
    // Trailing undefined (omitted Opt members) would travel as null, which BokehJS rejects: drop them.
    while (out.length > 0 && out[out.length - 1] === undefined) out.pop()
    return out
  }
  override may_have_refs(): boolean {
    return this.types.some((t) => t.may_have_refs())
  }
  override coerces(): boolean {
    return true
  }
  toString(): string {
    return `Tuple(${this.types.join(", ")})`
  }
}
export function Tuple<T extends Kind[]>(...types: T): Kind<{ [K in keyof T]: T[K]["__type__"] }> {
  return new TupleKind(types)
}

class ListKind<T> extends Kind<T[]> {
  constructor(
    readonly name: string,
    readonly item_type: Kind<T>,
    private readonly non_empty: boolean,
    private readonly arrayable: boolean,
  ) {
    super()
  }
  valid(v: unknown): boolean {
    if (Array.isArray(v)) {
      if (this.non_empty && v.length === 0) return false
      const t = this.item_type
      for (let i = 0; i < v.length; i++) if (!t.valid(v[i])) return false
      return true
    }
    // Typed arrays: only where numbers are allowed (Arrayable or List of numbers).
    if (this.arrayable && is_typed_array(v)) return this.item_type.valid(0) || this.item_type === (Unknown as Kind)
    if (this.arrayable && v instanceof NDArray) return true
    return false
  }
  override coerce(v: unknown): unknown {
    if (!Array.isArray(v) || !(this.item_type.may_have_refs() || this.item_type.coerces())) return v
    return v.map((x) => this.item_type.coerce(x))
  }
  override may_have_refs(): boolean {
    return this.item_type.may_have_refs()
  }
  override coerces(): boolean {
    return this.item_type.may_have_refs() || this.item_type.coerces()
  }
  toString(): string {
    return `${this.name}(${this.item_type})`
  }
}
export function List<T>(item: Kind<T>): Kind<T[]> {
  return new ListKind("List", item, false, false)
}
export function NonEmptyList<T>(item: Kind<T>): Kind<T[]> {
  return new ListKind("NonEmptyList", item, true, false)
}
/** Arrays or typed arrays (numeric columns travel as binary buffers). */
export function Arrayable<T>(item: Kind<T>): Kind<T[] | ArrayLike<T>> {
  return new ListKind("Arrayable", item, false, true) as Kind<T[] | ArrayLike<T>>
}
export function Iterable<T>(item: Kind<T>): Kind<T[] | ArrayLike<T>> {
  return new ListKind("Iterable", item, false, true) as Kind<T[] | ArrayLike<T>>
}

class DictKind<T> extends Kind<Record<string, T>> {
  constructor(readonly item_type: Kind<T>) {
    super()
  }
  valid(v: unknown): boolean {
    if (v instanceof Map) return [...v].every(([k, x]) => typeof k === "string" && this.item_type.valid(x))
    if (!is_plain_object(v)) return false
    for (const k in v) if (!this.item_type.valid(v[k])) return false
    return true
  }
  override coerce(v: unknown): unknown {
    // Maps with string keys (as a decoder may produce) are stored as plain objects.
    return v instanceof Map ? Object.fromEntries(v) : v
  }
  override may_have_refs(): boolean {
    return this.item_type.may_have_refs()
  }
  toString(): string {
    return `Dict(${this.item_type})`
  }
}
export function Dict<T>(item: Kind<T>): Kind<Record<string, T>> {
  return new DictKind(item)
}

class MappingKind<K, V> extends Kind<Map<K, V>> {
  constructor(
    readonly name: string,
    readonly key_type: Kind<K>,
    readonly item_type: Kind<V>,
  ) {
    super()
  }
  valid(v: unknown): boolean {
    if (v instanceof Map) return [...v].every(([k, x]) => this.key_type.valid(k) && this.item_type.valid(x))
    if (is_plain_object(v)) return Object.entries(v).every(([k, x]) => this.key_type.valid(k) && this.item_type.valid(x))
    return false
  }
  override coerce(v: unknown): unknown {
    return v instanceof Map ? v : new Map(Object.entries(v as object))
  }
  override may_have_refs(): boolean {
    return this.key_type.may_have_refs() || this.item_type.may_have_refs()
  }
  toString(): string {
    return `${this.name}(${this.key_type}, ${this.item_type})`
  }
}
export function Mapping<K, V>(key: Kind<K>, item: Kind<V>): Kind<Map<K, V>> {
  return new MappingKind("Mapping", key, item)
}
export function KeyVal<K, V>(key: Kind<K>, item: Kind<V>): Kind<Map<K, V>> {
  return new MappingKind("KeyVal", key, item)
}

class SetKind<T> extends Kind<Set<T>> {
  constructor(readonly item_type: Kind<T>) {
    super()
  }
  valid(v: unknown): boolean {
    const items = v instanceof Set ? [...v] : Array.isArray(v) ? v : null
    return items !== null && items.every((x) => this.item_type.valid(x))
  }
  override coerce(v: unknown): unknown {
    return v instanceof Set ? v : new Set(v as unknown[])
  }
  override may_have_refs(): boolean {
    return this.item_type.may_have_refs()
  }
  toString(): string {
    return `Set(${this.item_type})`
  }
}
function Set_<T>(item: Kind<T>): Kind<Set<T>> {
  return new SetKind(item)
}
export { Set_ as Set }

class StructKind<T> extends Kind<T> {
  constructor(
    readonly name: string,
    readonly struct_type: Record<string, Kind>,
    private readonly partial: boolean,
  ) {
    super()
  }
  valid(v: unknown): boolean {
    if (v instanceof Map) v = Object.fromEntries(v)
    if (!is_plain_object(v)) return false
    for (const k in v) if (!Object.hasOwn(this.struct_type, k)) return false
    for (const [k, t] of Object.entries(this.struct_type)) {
      if (!Object.hasOwn(v, k)) {
        if (this.partial || t.valid(undefined)) continue
        return false
      }
      if (!t.valid(v[k])) return false
    }
    return true
  }
  override coerce(v: unknown): unknown {
    return v instanceof Map ? Object.fromEntries(v) : v
  }
  override may_have_refs(): boolean {
    return Object.values(this.struct_type).some((t) => t.may_have_refs())
  }
  toString(): string {
    const q = this.partial ? "?" : ""
    return `${this.name}({${Object.entries(this.struct_type)
      .map(([k, t]) => `${k}${q}: ${t}`)
      .join(", ")}})`
  }
}
export function Struct<T>(fields: Record<string, Kind>): Kind<T> {
  return new StructKind<T>("Struct", fields, false)
}
export function PartialStruct<T>(fields: Record<string, Kind>): Kind<T> {
  return new StructKind<T>("PartialStruct", fields, true)
}
