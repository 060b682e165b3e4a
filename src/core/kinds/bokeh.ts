/**
 * Bokeh's own kinds: references to models (resolved by type name through the registry, so generated
 * models never import each other), and Python Bokeh's date kinds.
 */
import type { HasProps } from "../has_props.ts"
import { is_model } from "../model_brand.ts"
import { resolve_model_class } from "../registry.ts"
import { Kind, Primitive } from "./primitives.ts"

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
