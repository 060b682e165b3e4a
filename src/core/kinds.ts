/**
 * Property kinds: runtime validators mirroring BokehJS's `core/kinds` (their `toString()` prints the same
 * names, e.g. `Nullable(Str)`). Generated models declare each property with one of these.
 */
import { is_color } from "./util/color.ts"
import { NDArray } from "./util/ndarray.ts"
import { is_plain_object, is_typed_array } from "./util/types.ts"
import { is_model } from "./model_brand.ts"
import type { HasProps } from "./has_props.ts"
import { resolve_model_class } from "./registry.ts"

export abstract class Kind<T = unknown> {
  /** The value TypeScript sees; only used for type inference. */
  declare readonly __type__: T
  abstract valid(value: unknown): boolean
  abstract toString(): string
  /** Whether a value of this kind may contain model references (checked once, at definition time). */
  may_have_refs(): boolean {
    return false
  }
  /** Normalizes an accepted input into the stored form (e.g. a plain object into a Map). */
  coerce(value: unknown): unknown {
    return value
  }
  /** Whether `coerce` may change a valid value (containers then coerce their items). */
  coerces(): boolean {
    return false
  }
}

class Primitive<T> extends Kind<T> {
  constructor(
    readonly name: string,
    private readonly check: (v: unknown) => boolean,
  ) {
    super()
  }
  valid(v: unknown): boolean {
    return this.check(v)
  }
  toString(): string {
    return this.name
  }
}

const is_number = (v: unknown): v is number => typeof v === "number"
const is_int = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v)

export const Any = new Primitive<unknown>("Any", () => true)
export const Unknown = new Primitive<unknown>("Unknown", () => true)
export const Bool = new Primitive<boolean>("Bool", (v) => typeof v === "boolean")
export const Float = new Primitive<number>("Float", is_number)
export const Int = new Primitive<number>("Int", is_int)
export const Str = new Primitive<string>("Str", (v) => typeof v === "string")
export const CSSLength = new Primitive<string>("CSSLength", (v) => typeof v === "string")
export const Null = new Primitive<null>("Null", (v) => v === null)
export const Percent = new Primitive<number>("Percent", (v) => is_number(v) && v >= 0 && v <= 1)
export const Bytes = new Primitive<Uint8Array>("Bytes", (v) => v instanceof Uint8Array || v instanceof ArrayBuffer)
export const Color = new Primitive<ColorValue>("Color", is_color)
export const DateKind = new Primitive<Date>("Ref(Date)", (v) => v instanceof Date)
/** JS functions and DOM nodes exist only in a browser: never valid on the server side. */
export const Func = new Primitive<never>("Func", () => false)
export const DOMNode = new Primitive<never>("Node", () => false)

export type ColorValue = string | number | [number, number, number] | [number, number, number, number]

export function PrefixedStr(prefix: string): Kind<string> {
  return new Primitive<string>(`PrefixedStr(${prefix})`, (v) => typeof v === "string" && v.startsWith(prefix))
}

export function Regex(regex: RegExp): Kind<string> {
  return new Primitive<string>(`Regex(${regex.source})`, (v) => typeof v === "string" && regex.test(v))
}

class Wrapper<T> extends Kind<T> {
  constructor(
    readonly name: string,
    readonly base_type: Kind,
    private readonly check: (v: unknown, base: Kind) => boolean,
  ) {
    super()
  }
  valid(v: unknown): boolean {
    return this.check(v, this.base_type)
  }
  override coerce(v: unknown): unknown {
    // null/undefined accepted by Nullable/Opt are not values of the base kind.
    return v === null || v === undefined ? v : this.base_type.coerce(v)
  }
  override coerces(): boolean {
    return this.base_type.coerces()
  }
  override may_have_refs(): boolean {
    return this.base_type.may_have_refs()
  }
  toString(): string {
    return `${this.name}(${this.base_type})`
  }
}

export function NonNegative<T>(base: Kind<T>): Kind<T> {
  return new Wrapper<T>("NonNegative", base, (v, b) => b.valid(v) && (v as number) >= 0)
}
export function Positive<T>(base: Kind<T>): Kind<T> {
  return new Wrapper<T>("Positive", base, (v, b) => b.valid(v) && (v as number) > 0)
}
export function Nullable<T>(base: Kind<T>): Kind<T | null> {
  return new Wrapper<T | null>("Nullable", base, (v, b) => v === null || b.valid(v))
}
export function Opt<T>(base: Kind<T>): Kind<T | undefined> {
  return new Wrapper<T | undefined>("Opt", base, (v, b) => v === undefined || b.valid(v))
}

export class EnumKind<T extends string | number> extends Kind<T> {
  readonly values: ReadonlySet<T>
  constructor(values: readonly T[]) {
    super()
    this.values = new Set(values)
  }
  valid(v: unknown): boolean {
    return this.values.has(v as T)
  }
  toString(): string {
    return `Enum(${[...this.values].join(", ")})`
  }
}
export function Enum<T extends string | number>(...values: T[]): EnumKind<T> {
  return new EnumKind(values)
}

class OrKind<T> extends Kind<T> {
  private readonly refs: boolean
  constructor(readonly types: Kind[]) {
    super()
    this.refs = types.some((t) => t.may_have_refs())
  }
  valid(v: unknown): boolean {
    return this.types.some((t) => t.valid(v))
  }
  override coerce(v: unknown): unknown {
    const t = this.types.find((t) => t.valid(v))
    return t !== undefined ? t.coerce(v) : v
  }
  override may_have_refs(): boolean {
    return this.refs
  }
  override coerces(): boolean {
    return this.types.some((t) => t.coerces())
  }
  toString(): string {
    return `Or(${this.types.join(", ")})`
  }
}
export function Or<T extends Kind[]>(...types: T): Kind<T[number]["__type__"]> {
  return new OrKind(types)
}

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

/** A reference to a model of the named type (or a subtype); the class is looked up lazily by name. */
export class RefKind<T = HasProps> extends Kind<T> {
  private cls: (abstract new (...args: never[]) => unknown) | undefined
  constructor(readonly type_name: string) {
    super()
  }
  valid(v: unknown): boolean {
    this.cls ??= resolve_model_class(this.type_name)
    return v instanceof this.cls
  }
  override may_have_refs(): boolean {
    return true
  }
  toString(): string {
    return `Ref(${this.type_name})`
  }
}
export function Ref<T = HasProps>(type_name: string): Kind<T> {
  return new RefKind<T>(type_name)
}
export const AnyRef: Kind<HasProps> = new (class extends RefKind {
  // "HasProps" is not a registered (wire) type, so it can't be resolved by name like other refs.
  override valid(v: unknown): boolean {
    return is_model(v)
  }
  override toString(): string {
    return "AnyRef"
  }
})("HasProps")

// Containers of Any/Unknown may hold models too.
for (const k of [Any, Unknown]) k.may_have_refs = () => true

// ---------------------------------------------------------------------------------------------
// Python Bokeh's date kinds, for properties where Python is more precise than BokehJS
// (scripts/python_precise.ts). They accept what Python's `Date` and `Datetime` accept and store
// what Python stores.

/** The fields of an ISO 8601 date or datetime string, as Python's `datetime.fromisoformat` reads them. */
interface IsoFields {
  y: number
  m: number
  d: number
  hh: number
  mm: number
  ss: number
}

const ISO =
  /^(?:(\d{4})-(\d{2})-(\d{2})|(\d{4})(\d{2})(\d{2}))(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d+)?)?)?)?)?$/

export function parse_iso(s: string): IsoFields | null {
  const m = ISO.exec(s)
  if (m === null) return null
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]))
  const [y, mo, d] = m[1] !== undefined ? [n(1), n(2), n(3)] : [n(4), n(5), n(6)]
  const f = { y, m: mo, d, hh: n(7), mm: n(8), ss: n(9) }
  if (f.m < 1 || f.m > 12 || f.d < 1 || f.d > new Date(Date.UTC(f.y, f.m, 0)).getUTCDate()) return null
  if (f.hh > 23 || f.mm > 59 || f.ss > 59) return null
  return f
}

/** Python's `Date`: an ISO date string ("2024-05-17"; a datetime string passes too, as in Python). */
export const IsoDate = new Primitive<string>("Date", (v) => typeof v === "string" && parse_iso(v) !== null)

class DatetimeKind extends Kind<number> {
  valid(v: unknown): boolean {
    if (typeof v === "number") return true
    if (typeof v === "string") return parse_iso(v) !== null
    return v instanceof Date && !Number.isNaN(v.getTime())
  }
  /**
   * Milliseconds since the epoch, as Python stores and sends a datetime. An ISO string's wall-clock
   * fields count as UTC to the second (Python's `convert_date_to_datetime` drops the offset and the
   * fraction); a JS Date is an instant.
   */
  override coerce(v: unknown): unknown {
    if (typeof v === "string") {
      const f = parse_iso(v)!
      const t = new Date(0)
      t.setUTCFullYear(f.y, f.m - 1, f.d) // years below 100 too, which Date.UTC would shift
      t.setUTCHours(f.hh, f.mm, f.ss, 0)
      return t.getTime()
    }
    return v instanceof Date ? v.getTime() : v
  }
  override coerces(): boolean {
    return true
  }
  toString(): string {
    return "Datetime"
  }
}
/** Python's `Datetime`: milliseconds since the epoch; ISO strings and JS Dates are accepted and converted. */
export const Datetime: Kind<number> = new DatetimeKind()
