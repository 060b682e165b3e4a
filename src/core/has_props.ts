/**
 * HasProps: the base of every model. Properties live on the prototype as accessors (defined once per
 * class by `define_model`), values of an instance in one small object holding only what was set, so an
 * idle model costs a few hundred bytes. Setting validates against the property's kind, skips no-op
 * changes and reports real ones to the model's callbacks and its document.
 */
import { is_thenable, report_fault, track_app_result } from "./app_context.ts"
import { callback_observer, observe_callback } from "./callback_timing.ts"
import { ValidationError, preview } from "./errors.ts"
import { make_id } from "./ids.ts"
import type { Kind } from "./kinds.ts"
import { register_model_class, resolve_model_class } from "./registry.ts"
import { is_equal } from "./util/eq.ts"
import { visit_models } from "./util/refs.ts"

/** A model-valued default: a fresh instance per owner, created eagerly so its id is known. */
export class ModelDefault {
  constructor(
    readonly type_name: string,
    readonly attrs: Record<string, unknown>,
  ) {}
}

/** Marks a property without a default (it must be given to the constructor). */
export const REQUIRED: unique symbol = Symbol("required")

export type DefaultValue = unknown | ModelDefault | typeof REQUIRED

export interface PropDef {
  readonly name: string
  readonly kind: Kind
  readonly default: DefaultValue
  /** Containers are copied per instance on first read, so in-place edits never leak into the default. */
  readonly mutable_default: boolean
  readonly may_have_refs: boolean
  readonly readonly: boolean
}

export type PropSpec = readonly [kind: Kind, default_value?: DefaultValue, options?: { readonly?: boolean }]

/** What a model needs from the document it belongs to (implemented by document/document.ts). */
export interface DocumentLike {
  /** `setter` is the peer connection whose patch made the change, or null for app code. */
  _model_changed(model: HasProps, attr: string, old: unknown, value: unknown, invoke: (() => void) | null, setter: unknown): void
  _attach_models(value: unknown, old: unknown): void
  _stream(model: HasProps, attr: string, new_data: Record<string, unknown>, rollover: number | null, setter?: unknown): void
  _patch(model: HasProps, attr: string, patches: Record<string, unknown>, setter?: unknown): void
}

/** An `on_change` callback; it may be async (the operation that made the change awaits it). */
export type ChangeCallback<T = unknown> = (attr: string, old: T, value: T) => unknown

/** Property values a theme gives one model class (shared by every instance: never modify). */
export type ThemedValues = Readonly<Record<string, unknown>>

/**
 * A themed model's bookkeeping. Themed values live in `_v` like set ones (so reads and serialization
 * cost nothing extra, and Python also serializes themed values); this records which entries are the
 * theme's, so an app's own set wins and a theme change or removal can take them back.
 */
interface ThemeState {
  values: ThemedValues
  /** Keys whose `_v` entry holds the theme's value. */
  readonly applied: Set<string>
  /** Keys the app or a peer set while themed: theirs even when equal to the default. */
  readonly explicit: Set<string>
}

/** The values of "no theme" (one shared empty object, so checks are identity checks). */
export const NO_THEMED_VALUES: ThemedValues = Object.freeze({})

type ModelClass = typeof HasProps

export abstract class HasProps {
  /** The type name on the wire ("Slider", "bokeh.models.dom.Div"). */
  static __name__ = "HasProps"
  /** Every property of the class, inherited ones included, in definition order. */
  static __props__: Readonly<Record<string, PropDef>> = Object.create(null)
  /** Names of properties whose values may hold models, for reference walks. */
  static __ref_props__: readonly string[] = []
  /** Names of properties with model-valued defaults. */
  static __model_defaults__: readonly string[] = []
  static __required__: readonly string[] = []

  declare readonly id: string
  /** Set (or materialized) property values. Internal: use the property accessors. */
  declare _v: Record<string, unknown>
  /** The document this model belongs to, if any. */
  declare document: DocumentLike | null
  declare _callbacks: Map<string, ChangeCallback[]> | undefined
  /** Present only on models a theme touched (see apply_theme). */
  declare _theme_state: ThemeState | undefined

  constructor(attrs?: Record<string, unknown>) {
    const cls = this.constructor as ModelClass
    init_instance(this, typeof attrs?.["id"] === "string" ? attrs["id"] : make_id())
    if (attrs !== undefined) {
      for (const name in attrs) {
        if (name === "id") continue
        const value = attrs[name]
        if (value === undefined) continue
        this._set_initial(name, value)
      }
    }
    for (const name of cls.__required__) {
      if (!(name in this._v))
        throw new ValidationError(
          "BK_ERR_MISSING_REQUIRED_PROPERTY",
          `${cls.__name__}.${name} is required: pass it to the constructor, e.g. new ${cls.__name__}({${name}: …})`,
        )
    }
    for (const name of cls.__model_defaults__) {
      if (!(name in this._v)) this._v[name] = create_default_model(cls.__props__[name]!.default as ModelDefault)
    }
  }

  /** Creates an instance with the given id and no values, for decoders (no required-check, no defaults). */
  static _create_empty<T extends HasProps>(this: abstract new (...args: never[]) => T, id: string): T {
    const obj = Object.create(this.prototype) as T
    init_instance(obj, id)
    return obj
  }

  private _set_initial(name: string, value: unknown): void {
    const prop = this._prop(name)
    this._v[name] = validate(this, prop, convert(this, name, value))
  }

  _prop(name: string): PropDef {
    const prop = (this.constructor as ModelClass).__props__[name]
    if (prop === undefined) {
      const cls = this.constructor as ModelClass
      throw new ValidationError("BK_ERR_UNKNOWN_PROPERTY", `${cls.__name__} has no property '${name}'`)
    }
    return prop
  }

  /** Reads a property (defaults included). */
  _get(name: string): unknown {
    const v = this._v
    if (name in v) return v[name]
    const prop = this._prop(name)
    const d = prop.default
    if (d instanceof ModelDefault) return (v[name] = create_default_model(d))
    if (prop.mutable_default) return (v[name] = structuredClone(d))
    return d === REQUIRED ? undefined : d
  }

  /** Sets a property: validates, skips no-ops, notifies callbacks and the document. */
  _set(name: string, value: unknown): void {
    const prop = this._prop(name)
    if (prop.readonly) throw new ValidationError("BK_ERR_READONLY_PROPERTY", `${(this.constructor as ModelClass).__name__}.${name} is readonly`)
    const coerced = validate(this, prop, convert(this, name, value))
    const old = this._get(name)
    if (is_equal(old, coerced)) return
    this._v[name] = coerced
    if (this._theme_state !== undefined) mark_set_by_app(this._theme_state, name)
    this._changed(name, old, coerced, prop.may_have_refs)
  }

  /**
   * Sets a value received from a peer, already decoded and validated (see Deserializer). `setter`
   * (the peer's connection) travels with the change event, so the change is not echoed back to it.
   */
  _set_from_wire(name: string, value: unknown, setter: unknown = null): void {
    const prop = this._prop(name)
    const old = this._get(name)
    if (is_equal(old, value)) return
    this._v[name] = value
    if (this._theme_state !== undefined) mark_set_by_app(this._theme_state, name)
    this._changed(name, old, value, prop.may_have_refs, setter)
  }

  /** Reports a change (also used by in-place edits such as stream and patch); `setter` null means app code. */
  _changed(name: string, old: unknown, value: unknown, may_have_refs: boolean, setter: unknown = null): void {
    const doc = this.document
    if (doc !== null && may_have_refs) doc._attach_models(value, old)
    const callbacks = this._callbacks?.get(name)
    const invoke = callbacks !== undefined && callbacks.length > 0 ? () => invoke_change_callbacks(this, name, callbacks, old, value) : null
    if (doc !== null) doc._model_changed(this, name, old, value, invoke, setter)
    else invoke?.()
  }

  /** Sets several properties at once. */
  setv(attrs: Record<string, unknown>): void {
    for (const name in attrs) this._set(name, attrs[name])
  }

  /**
   * Registers `callback(attr, old, new)` for changes of any of `attrs` (Python's `on_change`). Callbacks
   * get values of the property's type: peers' values are checked against its kind before they are applied.
   */
  on_change<K extends keyof this & string>(attrs: K | readonly K[], ...callbacks: Array<ChangeCallback<this[K]>>): void
  on_change(attrs: string | readonly string[], ...callbacks: ChangeCallback[]): void
  on_change(attrs: string | readonly string[], ...callbacks: ChangeCallback[]): void {
    this._callbacks ??= new Map()
    for (const attr of typeof attrs === "string" ? [attrs] : attrs) {
      this._prop(attr)
      const list = this._callbacks.get(attr) ?? []
      list.push(...callbacks)
      this._callbacks.set(attr, list)
    }
  }

  /** Removes callbacks registered with `on_change`. */
  remove_on_change(attrs: string | string[], ...callbacks: ChangeCallback[]): void {
    for (const attr of Array.isArray(attrs) ? attrs : [attrs]) {
      const list = this._callbacks?.get(attr)
      if (list === undefined) continue
      this._callbacks!.set(
        attr,
        list.filter((cb) => !callbacks.includes(cb)),
      )
    }
  }

  /** All models reachable from this one through its properties, itself included. */
  references(): Set<HasProps> {
    const seen = new Set<HasProps>([this])
    const stack: HasProps[] = [this]
    while (stack.length > 0) {
      const model = stack.pop()!
      model._visit_refs((m) => {
        if (!seen.has(m)) {
          seen.add(m)
          stack.push(m)
        }
      })
    }
    return seen
  }

  /** Calls `visit` for each model directly referenced by this one's properties. */
  _visit_refs(visit: (m: HasProps) => void): void {
    const v = this._v
    for (const name of (this.constructor as ModelClass).__ref_props__) {
      if (name in v) visit_models(v[name], visit)
    }
  }

  /** Values of all set properties (what gets serialized), in the order they were set. */
  properties_with_values(): Record<string, unknown> {
    return { ...this._v }
  }

  /** The values the current theme gives this model, or null (Python's `themed_values()`). */
  themed_values(): ThemedValues | null {
    const values = this._theme_state?.values
    return values === undefined || values === NO_THEMED_VALUES ? null : values
  }

  /**
   * Uses `values` in place of defaults for every property the app has not set, reporting each
   * resulting change like a set (so a live document sends them to its peers, as Python does).
   * `values` is kept as is and may be shared between models: it must not change afterwards.
   * Usually called through `Document.theme`, not directly.
   */
  apply_theme(values: ThemedValues): void {
    const state = this._theme_state
    const old_values = state?.values ?? NO_THEMED_VALUES
    if (old_values === values) return
    const keys = new Set([...Object.keys(old_values), ...Object.keys(values)])
    if (keys.size === 0) return
    const olds = new Map<string, unknown>()
    for (const key of keys) olds.set(key, this._peek(key))

    const st: ThemeState = state ?? { values, applied: new Set(), explicit: new Set() }
    for (const key of st.applied) delete this._v[key]
    st.applied.clear()
    for (const key in values) {
      if (this._set_by_app(key, st)) continue
      const value = values[key]
      this._v[key] = is_mutable(value) ? structuredClone(value) : value
      st.applied.add(key)
    }
    st.values = values
    // Only `explicit` must outlive the theme (Python keeps an app's set values across themes).
    this._theme_state = values === NO_THEMED_VALUES && st.explicit.size === 0 ? undefined : st

    for (const [key, old] of olds) {
      const value = this._peek(key)
      if (!is_equal(old, value)) this._changed(key, old, value, this._prop(key).may_have_refs)
    }
  }

  /** Removes themed values: unset properties read their defaults again. */
  unapply_theme(): void {
    this.apply_theme(NO_THEMED_VALUES)
  }

  /** A property's current value without materializing a container default into `_v`. */
  private _peek(name: string): unknown {
    if (name in this._v) return this._v[name]
    const d = this._prop(name).default
    return d instanceof ModelDefault || d === REQUIRED ? undefined : d
  }

  /**
   * Whether the app (or a peer) gave this property its value. A value equal to the default counts as
   * unset unless set while themed: Python ignores a set that does not change the value, so
   * `Grid({grid_line_alpha: 1})` still takes a theme's alpha there too.
   */
  private _set_by_app(name: string, state: ThemeState): boolean {
    if (!(name in this._v)) return false
    if (state.explicit.has(name)) return true
    const d = this._prop(name).default
    return d instanceof ModelDefault || d === REQUIRED || !is_equal(this._v[name], d)
  }

  /** Property names of this model's class. */
  static properties(): string[] {
    return Object.keys(this.__props__)
  }

  toString(): string {
    return `${(this.constructor as ModelClass).__name__}(id=${JSON.stringify(this.id)})`
  }
}

/**
 * Runs a model's `on_change` callbacks for one change. Each is app code: a throw or a rejected promise
 * is reported against its session (see app_context.ts) and never stops the other callbacks or the
 * code that made the change; a returned promise is awaited by the operation that made the change.
 */
export function invoke_change_callbacks(model: HasProps, attr: string, callbacks: readonly ChangeCallback[], old: unknown, value: unknown): void {
  // call_app, unrolled: this runs for every change of a watched property.
  const timing = callback_observer()
  for (const cb of [...callbacks]) {
    const started = timing !== null ? performance.now() : 0
    let result: unknown
    try {
      result = cb(attr, old, value)
    } catch (error) {
      if (timing !== null) observe_callback(timing, "on_change", started, undefined)
      report_fault(error, describe_change_callback(model, attr, cb))
      continue
    }
    if (timing !== null) observe_callback(timing, "on_change", started, result)
    if (is_thenable(result)) track_app_result(result, () => describe_change_callback(model, attr, cb))
  }
}

function describe_change_callback(model: HasProps, attr: string, cb: ChangeCallback): string {
  return `on_change('${attr}') callback ${cb.name || "(anonymous)"} of ${model}`
}

function init_instance(obj: HasProps, id: string): void {
  Object.defineProperty(obj, "id", { value: id, enumerable: true })
  // No prototype: property names from peers (`constructor`, `__proto__`) can never find inherited values.
  obj._v = Object.create(null) as Record<string, unknown>
  obj.document = null
  obj._callbacks = undefined
  obj._theme_state = undefined
}

function mark_set_by_app(state: ThemeState, name: string): void {
  state.applied.delete(name)
  state.explicit.add(name)
}

function create_default_model(d: ModelDefault): HasProps {
  // Resolved lazily by name so generated modules never import each other for defaults.
  const cls = resolve_model_class(d.type_name)
  const attrs: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(d.attrs)) attrs[name] = instantiate(value)
  return new (cls as unknown as new (attrs: Record<string, unknown>) => HasProps)(attrs)
}

/** Copies a default's value, creating fresh models for nested model defaults. */
function instantiate(value: unknown): unknown {
  if (value instanceof ModelDefault) return create_default_model(value)
  if (Array.isArray(value)) return value.map(instantiate)
  return typeof value === "object" && value !== null ? structuredClone(value) : value
}

const converters = new Map<ModelClass, Map<string, (value: unknown) => unknown>>()

/**
 * Registers a conversion applied to values app code assigns (BokehJS's `convert` option, e.g. a string
 * given as `Plot.title` becomes a Title model). Values from peers are never converted.
 */
export function define_converter(cls: ModelClass, name: string, fn: (value: unknown) => unknown): void {
  const map = converters.get(cls) ?? new Map()
  map.set(name, fn)
  converters.set(cls, map)
}

function convert(model: HasProps, name: string, value: unknown): unknown {
  if (converters.size === 0) return value
  for (let cls = model.constructor as ModelClass; cls !== HasProps; cls = Object.getPrototypeOf(cls) as ModelClass) {
    const fn = converters.get(cls)?.get(name)
    if (fn !== undefined) return fn(value)
  }
  return value
}

function validate(model: HasProps, prop: PropDef, value: unknown): unknown {
  const kind = prop.kind
  if (!kind.valid(value)) {
    const cls = model.constructor as ModelClass
    throw new ValidationError("BK_ERR_INVALID_PROPERTY_VALUE", `${cls.__name__}.${prop.name} expected a value of kind ${kind}, got ${preview(value)}`)
  }
  return kind.coerce(value)
}

function is_mutable(value: unknown): boolean {
  return typeof value === "object" && value !== null
}

/**
 * Defines a model class's own properties and default overrides; called once per generated class.
 */
export function define_model(cls: ModelClass, name: string, props: Record<string, PropSpec>, overrides: Record<string, DefaultValue> = {}): void {
  const base = Object.getPrototypeOf(cls) as ModelClass
  const all: Record<string, PropDef> = Object.assign(Object.create(null), base.__props__)
  for (const [pname, spec] of Object.entries(props)) {
    // An explicit `undefined` default (computed by BokehJS, never sent) is not "required".
    const [kind, , options = {}] = spec
    const def = spec.length >= 2 ? spec[1] : REQUIRED
    all[pname] = make_prop(pname, kind, def, options.readonly ?? false)
    Object.defineProperty(cls.prototype, pname, {
      get(this: HasProps) {
        return this._get(pname)
      },
      set(this: HasProps, value: unknown) {
        this._set(pname, value)
      },
      enumerable: true,
      configurable: false,
    })
  }
  for (const [pname, def] of Object.entries(overrides)) {
    const prop = all[pname]
    if (prop === undefined) throw new ValidationError("BK_ERR_UNKNOWN_PROPERTY", `${name}: override of unknown property ${pname}`)
    all[pname] = make_prop(pname, prop.kind, def, prop.readonly)
  }
  const defs = Object.values(all)
  Object.defineProperty(cls, "__name__", { value: name })
  cls.__props__ = all
  cls.__ref_props__ = defs.filter((p) => p.may_have_refs).map((p) => p.name)
  cls.__model_defaults__ = defs.filter((p) => p.default instanceof ModelDefault).map((p) => p.name)
  cls.__required__ = defs.filter((p) => p.default === REQUIRED && !p.readonly).map((p) => p.name)
  register_model_class(name, cls as unknown as abstract new (...args: never[]) => unknown)
}

function make_prop(name: string, kind: Kind, def: DefaultValue, readonly: boolean): PropDef {
  return {
    name,
    kind,
    default: def,
    mutable_default: !(def instanceof ModelDefault) && def !== REQUIRED && is_mutable(def),
    may_have_refs: kind.may_have_refs(),
    readonly,
  }
}

/** Defines a property that reads and writes another one (BokehJS property aliases). */
export function define_alias(cls: ModelClass, alias: string, target: string): void {
  Object.defineProperty(cls.prototype, alias, {
    get(this: HasProps) {
      return this._get(target)
    },
    set(this: HasProps, value: unknown) {
      this._set(target, value)
    },
    enumerable: false,
    configurable: false,
  })
}

import { _set_has_props_class } from "./util/refs.ts"
_set_has_props_class(HasProps)

/** Constructor options of a model: every attribute optional except the required ones, plus an optional id. */
export type ModelArgs<A, R extends keyof A = never> = Partial<A> & Pick<A, R> & { id?: string }
