/**
 * HasProps: the base of every model. Properties live on the prototype as accessors (defined once per
 * class by `define_model`), values of an instance in one small object holding only what was set, so an
 * idle model costs a few hundred bytes. Setting validates against the property's kind, skips no-op
 * changes and reports real ones to the model's callbacks and its document.
 */
import { ValidationError, preview } from "./errors.ts"
import { invoke_change_callbacks, type ChangeCallback } from "./change_callbacks.ts"
import { make_id } from "./ids.ts"
import { MODEL_BRAND } from "./model_brand.ts"
import { NO_THEMED_VALUES, apply_theme, mark_set_by_app, type ThemeState, type ThemedValues } from "./model_theme.ts"
import { ModelDefault, REQUIRED, convert, type PropDef } from "./property_defs.ts"
import { resolve_model_class } from "./registry.ts"
import { is_equal } from "./util/eq.ts"
import { visit_models } from "./util/refs.ts"

// Where model modules and the document find them (they are defined in the modules named).
export { invoke_change_callbacks, type ChangeCallback } from "./change_callbacks.ts"
export { NO_THEMED_VALUES, type ThemedValues } from "./model_theme.ts"
export { ModelDefault, REQUIRED, define_alias, define_converter, define_model, type DefaultValue, type PropDef, type PropSpec } from "./property_defs.ts"

/**
 * What a model needs from the document it belongs to: the two managers of document/document.ts
 * (`DocumentModelManager`, `DocumentCallbackManager`), seen through the methods models call.
 * `setter` is the peer connection whose patch made the change, or null for app code.
 */
export interface DocumentLike {
  readonly model_manager: {
    /** The property of a document model changed from `old` to `value`: models in `value` join the document. */
    attach_value(value: unknown, old: unknown): void
  }
  readonly callback_manager: {
    model_changed(model: HasProps, attr: string, old: unknown, value: unknown, invoke: (() => void) | null, setter: unknown): void
    stream(model: HasProps, attr: string, new_data: Record<string, unknown>, rollover: number | null, setter: unknown): void
    patch(model: HasProps, attr: string, patches: Record<string, unknown>, setter: unknown): void
  }
}

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

  static {
    // What `is_model` (./model_brand.ts) checks: modules below this one can't import the class.
    Object.defineProperty(this.prototype, MODEL_BRAND, { value: true })
  }

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
    this._v[name] = validate(this, prop, convert(this, HasProps, name, value))
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
    const coerced = validate(this, prop, convert(this, HasProps, name, value))
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
    if (doc !== null && may_have_refs) doc.model_manager.attach_value(value, old)
    const callbacks = this._callbacks?.get(name)
    const invoke = callbacks !== undefined && callbacks.length > 0 ? () => invoke_change_callbacks(this, name, callbacks, old, value) : null
    if (doc !== null) doc.callback_manager.model_changed(this, name, old, value, invoke, setter)
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
    apply_theme(this, values)
  }

  /** Removes themed values: unset properties read their defaults again. */
  unapply_theme(): void {
    this.apply_theme(NO_THEMED_VALUES)
  }

  /** Property names of this model's class. */
  static properties(): string[] {
    return Object.keys(this.__props__)
  }

  toString(): string {
    return `${(this.constructor as ModelClass).__name__}(id=${JSON.stringify(this.id)})`
  }
}

function init_instance(obj: HasProps, id: string): void {
  Object.defineProperty(obj, "id", { value: id, enumerable: true })
  // No prototype: property names from peers (`constructor`, `__proto__`) can never find inherited values.
  obj._v = Object.create(null) as Record<string, unknown>
  obj.document = null
  obj._callbacks = undefined
  obj._theme_state = undefined
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

function validate(model: HasProps, prop: PropDef, value: unknown): unknown {
  const kind = prop.kind
  if (!kind.valid(value)) {
    const cls = model.constructor as ModelClass
    throw new ValidationError("BK_ERR_INVALID_PROPERTY_VALUE", `${cls.__name__}.${prop.name} expected a value of kind ${kind}, got ${preview(value)}`)
  }
  return kind.coerce(value)
}

/** Constructor options of a model: every attribute optional except the required ones, plus an optional id. */
export type ModelArgs<A, R extends keyof A = never> = Partial<A> & Pick<A, R> & { id?: string }
