/**
 * The kind base class and the scalar kinds (BokehJS's primitives: `Bool`, `Float`, `Str`, `Color`, …), with
 * the modifiers and combinators that keep a value scalar (`Nullable`, `Enum`, `Or`, …).
 */
import { is_color } from "../util/color.ts"

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

export class Primitive<T> extends Kind<T> {
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
// Containers of Any/Unknown may hold models too.
for (const k of [Any, Unknown]) k.may_have_refs = () => true
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
