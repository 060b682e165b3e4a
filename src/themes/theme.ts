/**
 * `Theme`: new default values for model properties, as Python Bokeh's `bokeh.themes.Theme`.
 *
 * A theme is `{attrs: {ClassName: {property: value}}}`, plus optional `line_defaults`, `fill_defaults`
 * and `text_defaults` for glyphs. A model takes the values of every class in its hierarchy (a subclass's
 * entry wins over its base's). Themes are immutable: a DirectoryHandler shares one between sessions.
 */
import { readFileSync } from "node:fs"
import { extname } from "node:path"
import { parse as parse_yaml } from "yaml"

import { ThemeError, preview } from "../core/errors.ts"
import { HasProps, NO_THEMED_VALUES, type ThemedValues } from "../core/has_props.ts"
import { model_class_names, resolve_model_class } from "../core/registry.ts"
import { is_plain_object } from "../core/util/types.ts"
import { visit_models } from "../core/util/refs.ts"
// The whole catalogue, so a theme is checked against every model class when it is constructed.
import "../models/main.ts"

export type ThemeProps = Readonly<Record<string, unknown>>

/** A theme's JSON form (what theme.yaml / theme.json hold). */
export interface ThemeJson {
  readonly attrs?: Readonly<Record<string, ThemeProps>>
  readonly line_defaults?: ThemeProps
  readonly fill_defaults?: ThemeProps
  readonly text_defaults?: ThemeProps
}

export type ThemeOptions =
  | { readonly json: ThemeJson | Record<string, unknown>; readonly filename?: undefined }
  | { readonly filename: string; readonly json?: undefined }

type ModelClass = typeof HasProps

/** Python's class names besides the wire name (Python's plotting `figure` is our Figure). */
const PYTHON_CLASS_NAMES: Readonly<Record<string, readonly string[]>> = { Figure: ["figure"] }

const GLYPH_DEFAULTS = [
  ["line_alpha", "line_defaults"],
  ["fill_alpha", "fill_defaults"],
  ["text_alpha", "text_defaults"],
] as const

export class Theme {
  /** Where the theme came from, for error messages ("theme.yaml", or "JSON"). */
  readonly source: string
  private readonly _attrs: Readonly<Record<string, ThemeProps>>
  private readonly _glyph_defaults: Readonly<Record<(typeof GLYPH_DEFAULTS)[number][1], ThemeProps>>
  /** Resolved values per model class (base classes merged in), computed on first use. */
  private readonly _by_class = new Map<ModelClass, ThemedValues>()

  constructor(options: ThemeOptions) {
    const { json, filename } = options as { json?: unknown; filename?: unknown }
    if (json !== undefined && filename !== undefined)
      throw new ThemeError("BK_ERR_THEME", "a Theme is made from a file or from JSON, not both: pass either {filename} or {json}")
    if (json === undefined && filename === undefined)
      throw new ThemeError("BK_ERR_THEME", "a Theme needs JSON or a file: new Theme({json: {attrs: {...}}}) or new Theme({filename: 'theme.yaml'})")
    if (filename !== undefined && typeof filename !== "string")
      throw new ThemeError("BK_ERR_THEME", `a Theme's filename must be a path string, not ${preview(filename)}`)
    this.source = filename ?? "JSON"
    const data = filename !== undefined ? read_theme_file(filename) : json
    const root = check_mapping(data, this.source, "a theme")
    const attrs = check_mapping(root["attrs"] ?? {}, this.source, "attrs (a mapping of class names)")
    for (const [name, props] of Object.entries(attrs)) check_mapping(props, this.source, `attrs.${name} (a mapping of properties)`)
    const glyph_defaults: Record<string, ThemeProps> = {}
    for (const [, key] of GLYPH_DEFAULTS) glyph_defaults[key] = check_mapping(root[key] ?? {}, this.source, key)
    // A model in a theme would be shared by every themed model of every session.
    visit_models([attrs, glyph_defaults], (m) => {
      throw new ThemeError("BK_ERR_THEME_VALUE", `theme ${this.source} holds a model (${m}): themes can only give plain values`)
    })
    // Our own deep copy, frozen: apps can't change a theme that sessions share.
    this._attrs = deep_freeze(structuredClone(attrs)) as Record<string, ThemeProps>
    this._glyph_defaults = deep_freeze(structuredClone(glyph_defaults)) as typeof this._glyph_defaults
    this._check_known_classes()
  }

  /** The theme's values for instances of `cls` (what `apply_to_model` gives them). */
  values_for(cls: ModelClass): ThemedValues {
    let values = this._by_class.get(cls)
    if (values === undefined) {
      values = this._resolve(cls)
      this._by_class.set(cls, values)
    }
    return values
  }

  /** Gives `model` this theme's values (usually done by setting `Document.theme`). */
  apply_to_model(model: HasProps): void {
    model.apply_theme(this.values_for(model.constructor as ModelClass))
  }

  private _resolve(cls: ModelClass): ThemedValues {
    const combined = this._applicable(cls)
    if (Object.keys(combined).length === 0) return NO_THEMED_VALUES
    return Object.freeze(this._validate(cls, combined))
  }

  /** The theme's entries for `cls` and its bases, merged (subclass wins), before validation. */
  private _applicable(cls: ModelClass): Record<string, unknown> {
    const chain: ModelClass[] = []
    for (let c = cls; c !== HasProps && c !== null; c = Object.getPrototypeOf(c) as ModelClass) chain.unshift(c)
    const combined: Record<string, unknown> = {}
    let is_glyph = false
    // Base classes first so a subclass's entry wins; glyph defaults are applied at every glyph level, as in Python.
    for (const c of chain) {
      if (!Object.hasOwn(c, "__name__")) continue
      is_glyph ||= c.__name__ === "Glyph"
      if (is_glyph) {
        for (const [marker, key] of GLYPH_DEFAULTS) if (marker in c.__props__) Object.assign(combined, this._glyph_defaults[key])
      }
      for (const name of class_names(c)) Object.assign(combined, this._attrs[name])
    }
    return combined
  }

  /** Checks every themed property against the class and coerces values as a set would. */
  private _validate(cls: ModelClass, values: Record<string, unknown>, options: { skip_unknown?: boolean } = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(values)) {
      const prop = cls.__props__[name]
      if (prop === undefined && options.skip_unknown === true) continue
      if (prop === undefined)
        throw new ThemeError(
          "BK_ERR_THEME_VALUE",
          `theme ${this.source} sets '${name}', but ${cls.__name__} has no such property: fix the name or move it to the class that has it`,
        )
      if (!prop.kind.valid(value))
        throw new ThemeError(
          "BK_ERR_THEME_VALUE",
          `theme ${this.source} sets ${cls.__name__}.${name} to ${preview(value)}, but it expects a value of kind ${prop.kind}`,
        )
      out[name] = prop.kind.coerce(value)
    }
    return out
  }

  /**
   * Checks the theme against every registered model class, so a bad theme fails when it is loaded
   * rather than in each session: a value of the wrong kind, or a property that neither the named class
   * nor any subclass has (a base-class entry may name a property only its subclasses have).
   */
  private _check_known_classes(): void {
    if (Object.keys(this._attrs).length === 0 && Object.values(this._glyph_defaults).every((d) => Object.keys(d).length === 0)) return
    const found = new Set<string>()
    const named_classes = new Set<string>()
    for (const type_name of model_class_names()) {
      const cls = resolve_model_class(type_name) as unknown as ModelClass
      for (let c = cls; c !== HasProps && c !== null; c = Object.getPrototypeOf(c) as ModelClass) {
        for (const name of class_names(c)) {
          const props = this._attrs[name]
          if (props === undefined) continue
          if (c === cls) named_classes.add(name)
          for (const key of Object.keys(props)) if (key in cls.__props__) found.add(`${name}.${key}`)
        }
      }
      this._validate(cls, this._applicable(cls), { skip_unknown: true })
    }
    for (const name of named_classes) {
      for (const key of Object.keys(this._attrs[name]!)) {
        if (!found.has(`${name}.${key}`))
          throw new ThemeError("BK_ERR_THEME_VALUE", `theme ${this.source} sets ${name}.${key}, but neither ${name} nor any subclass has a property '${key}'`)
      }
    }
  }
}

/** The names a theme may use for a class: the last part of its wire name ("bokeh.models.dom.Div" → "Div") and Python's. */
function class_names(cls: ModelClass): readonly string[] {
  const name = cls.__name__
  const short = name.slice(name.lastIndexOf(".") + 1)
  const python = PYTHON_CLASS_NAMES[short]
  return python === undefined ? [short] : [short, ...python]
}

function read_theme_file(filename: string): unknown {
  let text: string
  try {
    text = readFileSync(filename, "utf8")
  } catch (err) {
    throw new ThemeError("BK_ERR_THEME", `can't read theme file ${filename}: ${(err as Error).message}`, { cause: err })
  }
  try {
    // YAML 1.1, as PyYAML's safe_load reads theme files in Python Bokeh (JSON is valid YAML too).
    const data: unknown = extname(filename).toLowerCase() === ".json" ? JSON.parse(text) : parse_yaml(text, { version: "1.1" })
    return data ?? {} // an empty file is an empty theme
  } catch (err) {
    throw new ThemeError(
      "BK_ERR_THEME",
      `theme file ${filename} is not valid ${extname(filename).toLowerCase() === ".json" ? "JSON" : "YAML"}: ${(err as Error).message}`,
      { cause: err },
    )
  }
}

function check_mapping(value: unknown, source: string, what: string): Record<string, unknown> {
  if (!is_plain_object(value)) throw new ThemeError("BK_ERR_THEME", `theme ${source}: ${what} should be a mapping, not ${preview(value)}`)
  return value as Record<string, unknown>
}

function deep_freeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deep_freeze(v)
  }
  return value
}
