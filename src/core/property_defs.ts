/**
 * Declaring a model class's properties: what a property is (`PropDef`), its default (a value, a
 * `ModelDefault`, or `REQUIRED`), and the functions generated and hand-written model modules call once per
 * class (`define_model`, `define_alias`, `define_converter`). Instances and their values are has_props.ts.
 */
import type { HasProps } from "./has_props.ts"
import { ValidationError } from "./errors.ts"
import type { Kind } from "./kinds.ts"
import { register_model_class } from "./registry.ts"

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

type ModelClass = typeof HasProps

/** Whether a value is a container (copied, not shared, when used as a default or a themed value). */
export function is_mutable(value: unknown): boolean {
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

/** Applies the converter `model`'s class (or the nearest base below `root`) defines for `name`, if any. */
export function convert(model: HasProps, root: ModelClass, name: string, value: unknown): unknown {
  if (converters.size === 0) return value
  for (let cls = model.constructor as ModelClass; cls !== root; cls = Object.getPrototypeOf(cls) as ModelClass) {
    const fn = converters.get(cls)?.get(name)
    if (fn !== undefined) return fn(value)
  }
  return value
}
