/**
 * Themed values of one model. They live in `_v` like set ones (so reads and serialization cost nothing
 * extra, and Python also serializes themed values); a `ThemeState` records which entries are the theme's,
 * so an app's own set wins and a theme change or removal can take them back.
 */
import type { HasProps } from "./has_props.ts"
import { ModelDefault, REQUIRED, is_mutable } from "./property_defs.ts"
import { is_equal } from "./util/eq.ts"

/** Property values a theme gives one model class (shared by every instance: never modify). */
export type ThemedValues = Readonly<Record<string, unknown>>

/** A themed model's bookkeeping (`model._theme_state`, present only on models a theme touched). */
export interface ThemeState {
  values: ThemedValues
  /** Keys whose `_v` entry holds the theme's value. */
  readonly applied: Set<string>
  /** Keys the app or a peer set while themed: theirs even when equal to the default. */
  readonly explicit: Set<string>
}

/** The values of "no theme" (one shared empty object, so checks are identity checks). */
export const NO_THEMED_VALUES: ThemedValues = Object.freeze({})

/** The app (or a peer) set `name` while themed: the value is theirs from now on, whatever the theme. */
export function mark_set_by_app(state: ThemeState, name: string): void {
  state.applied.delete(name)
  state.explicit.add(name)
}

/**
 * Uses `values` in place of defaults for every property of `model` the app has not set, reporting each
 * resulting change like a set. See `HasProps.apply_theme`.
 */
export function apply_theme(model: HasProps, values: ThemedValues): void {
  const state = model._theme_state
  const old_values = state?.values ?? NO_THEMED_VALUES
  if (old_values === values) return
  const keys = new Set([...Object.keys(old_values), ...Object.keys(values)])
  if (keys.size === 0) return
  const olds = new Map<string, unknown>()
  for (const key of keys) olds.set(key, peek(model, key))

  const st: ThemeState = state ?? { values, applied: new Set(), explicit: new Set() }
  for (const key of st.applied) delete model._v[key]
  st.applied.clear()
  for (const key in values) {
    if (set_by_app(model, key, st)) continue
    const value = values[key]
    model._v[key] = is_mutable(value) ? structuredClone(value) : value
    st.applied.add(key)
  }
  st.values = values
  // Only `explicit` must outlive the theme (Python keeps an app's set values across themes).
  model._theme_state = values === NO_THEMED_VALUES && st.explicit.size === 0 ? undefined : st

  for (const [key, old] of olds) {
    const value = peek(model, key)
    if (!is_equal(old, value)) model._changed(key, old, value, model._prop(key).may_have_refs)
  }
}

/** A property's current value without materializing a container default into `_v`. */
function peek(model: HasProps, name: string): unknown {
  if (name in model._v) return model._v[name]
  const d = model._prop(name).default
  return d instanceof ModelDefault || d === REQUIRED ? undefined : d
}

/**
 * Whether the app (or a peer) gave this property its value. A value equal to the default counts as
 * unset unless set while themed: Python ignores a set that does not change the value, so
 * `Grid({grid_line_alpha: 1})` still takes a theme's alpha there too.
 */
function set_by_app(model: HasProps, name: string, state: ThemeState): boolean {
  if (!(name in model._v)) return false
  if (state.explicit.has(name)) return true
  const d = model._prop(name).default
  return d instanceof ModelDefault || d === REQUIRED || !is_equal(model._v[name], d)
}
