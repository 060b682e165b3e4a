/**
 * Property kinds: runtime validators mirroring BokehJS's `core/kinds` (their `toString()` prints the same
 * names, e.g. `Nullable(Str)`). Generated models declare each property with one of these (`k.List(k.Str)`).
 * Scalars and their modifiers are in kinds/primitives.ts, containers in kinds/containers.ts, model
 * references and Python's date kinds in kinds/bokeh.ts.
 */
export * from "./kinds/primitives.ts"
export * from "./kinds/containers.ts"
export * from "./kinds/bokeh.ts"
