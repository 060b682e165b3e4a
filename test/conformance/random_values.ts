/**
 * Seeded random valid values for property kinds, and random model instances built from them, for the
 * differential tests against BokehJS. Kinds are recognised by their fields (item_type, types, …), the
 * same structure BokehJS's kinds have, so this needs no access to the kind classes themselves.
 */
import { HasProps, REQUIRED } from "../../src/core/has_props.ts"
import type { Kind } from "../../src/core/kinds.ts"
import { SpecKind } from "../../src/core/property_specs.ts"
import { model_class_names, resolve_model_class } from "../../src/core/registry.ts"
import { named_colors } from "../../src/core/util/named_colors.ts"

/** mulberry32: small, fast, good enough for test data, and reproducible from a seed. */
export class Rng {
  private state: number
  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }
}

type ModelClass = typeof HasProps

/** Models BokehJS can't construct in Node (they need browser globals). */
export const UNCONSTRUCTIBLE = new Set(["AjaxDataSource", "ServerSentDataSource", "WebDataSource"])

export interface GenOptions {
  /** The concrete registered model names (BokehJS's `Models.names`). */
  readonly concrete: readonly string[]
  /** Probability of setting each optional property on a random instance (0 → defaults only). */
  readonly fill: number
  /** How deep random instances may nest other random instances. */
  readonly max_depth: number
}

const NO_VALUE = Symbol("no value")

/**
 * Registered but not meant to be used as values of other models: abstract bases BokehJS registers
 * (a ColumnarDataSource has no columns for a LegendItem to check) and models needing special inputs.
 */
const NOT_AS_REFS = new Set(["ColumnarDataSource", "Glyph", "GeoJSONDataSource", "ImageURLTexture"])

const STRINGS = ["", "a", "hello world", "é😀", "x_1", "line\nbreak", "quote\"'", "42", "@col"]
const COLUMN_NAMES = ["x", "y", "value", "col with space"]

export class ValueGen {
  private readonly subclasses = new Map<string, string[]>()
  constructor(
    readonly rng: Rng,
    readonly options: GenOptions,
  ) {}

  /** Concrete classes that are `type_name` or derive from it. */
  concrete_of(type_name: string): string[] {
    let found = this.subclasses.get(type_name)
    if (found === undefined) {
      const base = type_name === "HasProps" ? HasProps : resolve_model_class(type_name)
      const names = new Set(model_class_names())
      found = this.options.concrete
        .filter((n) => names.has(n) && !UNCONSTRUCTIBLE.has(n) && !NOT_AS_REFS.has(n))
        .filter((n) => {
          const c = resolve_model_class(n)
          return c === base || c.prototype instanceof base
        })
      this.subclasses.set(type_name, found)
    }
    return found
  }

  /** A new instance of the named model: required properties filled, others randomly set. */
  instance(name: string, depth = 0): HasProps {
    const cls = resolve_model_class(name) as unknown as ModelClass
    const attrs: Record<string, unknown> = {}
    const fill = depth >= this.options.max_depth ? 0 : this.options.fill
    for (const [pname, prop] of Object.entries(cls.__props__)) {
      if (prop.readonly || SEMANTIC.has(pname)) continue
      const required = prop.default === REQUIRED
      if (!required && !this.rng.chance(fill)) continue
      const v = this.value(prop.kind, depth + 1)
      if (v === NO_VALUE) {
        if (required) throw new Error(`can't make a valid value of ${prop.kind} for required ${name}.${pname}`)
        continue
      }
      attrs[pname] = v
    }
    fix_up(name, attrs, this)
    return new (cls as unknown as new (a: Record<string, unknown>) => HasProps)(attrs)
  }

  /** A random valid value of `kind`, or NO_VALUE when there is none (Func, DOM nodes). */
  value(kind: Kind, depth: number): unknown {
    for (let attempt = 0; attempt < 8; attempt++) {
      const v = this.raw(kind, depth)
      if (v === NO_VALUE) return NO_VALUE
      if (kind.valid(v)) return v
    }
    return NO_VALUE
  }

  private raw(kind: Kind, depth: number): unknown {
    const rng = this.rng
    const k = kind as unknown as Record<string, unknown>
    const name = String(kind)
    if (kind instanceof SpecKind) return this.spec(kind, depth)
    if (k["values"] instanceof Set) return rng.pick([...(k["values"] as Set<unknown>)])
    if (k["type_name"] !== undefined) {
      const candidates = this.concrete_of(k["type_name"] as string)
      if (candidates.length === 0) return NO_VALUE
      // Deep down, prefer models that need nothing, so nesting ends.
      const simple =
        depth > this.options.max_depth ? candidates.filter((c) => (resolve_model_class(c) as unknown as ModelClass).__required__.length === 0) : candidates
      return this.instance(rng.pick(simple.length > 0 ? simple : candidates), depth)
    }
    if (k["base_type"] !== undefined) {
      const base = k["base_type"] as Kind
      if (name.startsWith("Nullable(") && rng.chance(0.25)) return null
      if (name.startsWith("Opt(") && rng.chance(0.25)) return undefined
      const v = this.raw(base, depth)
      if (typeof v === "number" && name.startsWith("NonNegative(")) return Math.abs(v)
      if (typeof v === "number" && name.startsWith("Positive(")) return Math.abs(v) + 1
      return v
    }
    if (Array.isArray(k["types"])) {
      const types = k["types"] as Kind[]
      if (name.startsWith("Tuple(")) return types.map((t) => this.value(t, depth))
      // Try members in random order: some (Func, Node) have no server-side values.
      const order = [...types].sort(() => rng.next() - 0.5)
      for (const t of order) {
        const v = this.value(t, depth)
        if (v !== NO_VALUE) return v
      }
      return NO_VALUE
    }
    if (k["struct_type"] !== undefined) {
      const out: Record<string, unknown> = {}
      const partial = name.startsWith("PartialStruct(")
      for (const [key, t] of Object.entries(k["struct_type"] as Record<string, Kind>)) {
        if ((partial || t.valid(undefined)) && rng.chance(0.5)) continue
        const v = this.value(t, depth)
        if (v === NO_VALUE) return NO_VALUE
        if (v !== undefined) out[key] = v
      }
      return out
    }
    if (k["item_type"] !== undefined) {
      const item = k["item_type"] as Kind
      const n = (name.startsWith("NonEmptyList(") ? 1 : 0) + rng.int(3)
      if (k["key_type"] !== undefined) {
        const m = new Map<unknown, unknown>()
        for (let i = 0; i < n; i++) m.set(this.value(k["key_type"] as Kind, depth), this.value(item, depth))
        return m
      }
      if (name.startsWith("Dict(")) {
        const out: Record<string, unknown> = {}
        for (let i = 0; i < n; i++) out[rng.pick(COLUMN_NAMES)] = this.value(item, depth)
        return out
      }
      const items = Array.from({ length: n }, () => this.value(item, depth))
      if (items.includes(NO_VALUE)) return NO_VALUE
      if (name.startsWith("Set(")) return new Set(items)
      if (name.startsWith("Arrayable(") && String(item) === "Float" && rng.chance(0.5)) return Float64Array.from(items as number[])
      return items
    }
    return this.primitive(name, depth)
  }

  private primitive(name: string, depth: number): unknown {
    const rng = this.rng
    switch (name) {
      case "Bool":
        return rng.chance(0.5)
      case "Int":
        return rng.int(200) - 100
      case "Float":
        return rng.pick([0, 1, -2.5, 1e-7, 123456.75, rng.next() * 100, NaN, Infinity, -Infinity])
      case "Percent":
        return rng.pick([0, 1, 0.5, rng.next()])
      case "Str":
      case "CSSLength":
        return rng.pick(STRINGS)
      case "Null":
        return null
      case "Color":
        return this.color()
      case "Bytes":
        return Uint8Array.from({ length: rng.int(16) }, () => rng.int(256))
      case "Any":
      case "Unknown":
        return this.anything(depth)
      case "Func":
      case "Node":
      case "Ref(Date)":
        return NO_VALUE
      // Python's date kinds (scripts/python_precise.ts), in the forms browsers and Python send.
      case "Date":
        return rng.pick(["2024-05-17", "1999-12-31", "2000-02-29"])
      case "Datetime":
        return rng.pick([0, 1715904000000, -86400000.5, "2024-05-17T10:20:30", "2024-05-17"])
    }
    if (name.startsWith("PrefixedStr(")) return name.slice("PrefixedStr(".length, -1) + rng.pick(["x", "abc", ""])
    if (name.startsWith("Regex(")) return rng.pick(["", "1", "2 4", "10px", "1.5em", "12pt", "a", "#fff", "3 3 5"])
    return NO_VALUE
  }

  color(): unknown {
    const rng = this.rng
    switch (rng.int(7)) {
      case 0:
        return rng.pick([...named_colors])
      case 1:
        return "#a1b2c3"
      case 2:
        return "#abc"
      case 3:
        return `rgb(${rng.int(256)}, ${rng.int(256)}, 7)`
      case 4:
        return [rng.int(256), rng.int(256), rng.int(256)]
      case 5:
        return [rng.int(256), rng.int(256), rng.int(256), 0.5]
      default:
        return "#a1b2c3d4"
    }
  }

  private anything(depth: number): unknown {
    const rng = this.rng
    switch (rng.int(6)) {
      case 0:
        return rng.int(1000)
      case 1:
        return rng.pick(STRINGS)
      case 2:
        return [1, "two", null, true]
      case 3:
        return { a: 1, b: [2.5, "x"] }
      case 4:
        return null
      default:
        return depth < 2 ? rng.chance(0.5) : false
    }
  }

  private spec(kind: SpecKind, depth: number): unknown {
    const rng = this.rng
    const units = kind.units !== null && rng.chance(0.3) ? { units: rng.pick(kind.units) } : {}
    switch (rng.int(kind.vector ? 3 : 2)) {
      case 0: {
        const v = this.value(kind.value_kind, depth)
        return v === NO_VALUE ? NO_VALUE : Object.keys(units).length > 0 ? { value: v, ...units } : v
      }
      case 1: {
        const v = this.value(kind.value_kind, depth)
        return v === NO_VALUE ? NO_VALUE : { value: v, ...units }
      }
      default:
        return { field: rng.pick(COLUMN_NAMES), ...units }
    }
  }
}

/** Values BokehJS's models check beyond their kinds at initialization. */
/** Properties whose valid values depend on more than their kind; fix_up sets them sensibly. */
const SEMANTIC = new Set([
  "js_property_callbacks",
  "js_event_callbacks",
  // Toolbar.active_*: BokehJS resets them unless they name one of the toolbar's tools.
  "active_drag",
  "active_inspect",
  "active_scroll",
  "active_tap",
  "active_multi",
  // Tile sources derive resolution tables from these; random values make them huge.
  "tile_size",
  "min_zoom",
  "max_zoom",
  "initial_resolution",
  // Select/range tools restyle their overlay on load.
  "overlay",
])

function fix_up(name: string, attrs: Record<string, unknown>, gen: ValueGen): void {
  if (gen.rng.chance(gen.options.fill / 2)) {
    // Keys are "change:<attr>" or event names; BokehJS connects them to signals on load.
    const CustomJS = resolve_model_class("CustomJS") as unknown as new (a: object) => HasProps
    attrs["js_property_callbacks"] = { "change:tags": [new CustomJS({ code: "return 1" })] }
    attrs["js_event_callbacks"] = { document_ready: [new CustomJS({ code: "" })] }
  }
  // RangeTool copies its ranges' intervals into its overlay, whose kinds then reject random ones.
  if (name === "RangeTool") delete attrs["x_range"], delete attrs["y_range"]
  // BokehJS refuses duplicate factors; random picks from a few strings repeat.
  if (name === "FactorRange" && Array.isArray(attrs["factors"])) {
    const seen = new Set<string>()
    attrs["factors"] = (attrs["factors"] as unknown[]).filter((f) => !seen.has(JSON.stringify(f)) && seen.add(JSON.stringify(f)))
  }
  if (name === "GeoJSONDataSource") {
    const point = { type: "Feature", geometry: { type: "Point", coordinates: [1, 2] }, properties: { v: 3 } }
    attrs["geojson"] = JSON.stringify({ type: "FeatureCollection", features: [point] })
  }
}

export { NO_VALUE }
