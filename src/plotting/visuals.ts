/**
 * Python's `pop_visuals`: the cascade that turns `color="red", alpha=0.5, line_width=2,
 * selection_fill_color="blue"` into the line_/fill_/hatch_/text_ properties of one glyph.
 */

/** Color of every glyph not given one (Python's `get_default_color()`, also BokehJS's). */
export const DEFAULT_COLOR = "#1f77b4"
const DEFAULT_ALPHA = 1.0

const VISUAL_FEATURES = new Set(["line", "fill", "hatch", "text", "global"])

/** "line_dash_offset" → ["line", "dash_offset"]; "x" → ["x", null]. */
function split_feature_trait(name: string): [string, string | null] {
  const i = name.indexOf("_")
  return i < 0 ? [name, null] : [name.slice(0, i), name.slice(i + 1)]
}

function is_visual(name: string): boolean {
  const [feature, trait] = split_feature_trait(name)
  return VISUAL_FEATURES.has(feature) && trait !== null
}

/**
 * Takes the visual properties of a glyph class with `prefix` ("", "selection_", …) out of `props`
 * and returns them unprefixed. Precedence, per property: `{prefix}{name}`, then `{prefix}{trait}` (e.g.
 * `nonselection_alpha`, unless the glyph has a property named like the trait), then `override_defaults`
 * by trait, then `defaults` by name, then the ultimate defaults for color and alpha.
 */
export function pop_visuals(
  prop_names: readonly string[],
  props: Record<string, unknown>,
  prefix = "",
  defaults: Readonly<Record<string, unknown>> = {},
  override_defaults: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const all_defaults: Record<string, unknown> = { text_color: "black", hatch_color: "black", ...defaults }
  const trait_defaults: Record<string, unknown> = { color: DEFAULT_COLOR, alpha: DEFAULT_ALPHA }
  const names = new Set(prop_names)
  const result: Record<string, unknown> = {}
  const traits = new Set<string>()
  for (const name of prop_names) {
    if (!is_visual(name)) continue
    const trait = split_feature_trait(name)[1]!
    if (prefix + name in props) {
      result[name] = props[prefix + name]
      delete props[prefix + name]
    } else if (!names.has(trait) && prefix + trait in props) {
      result[name] = props[prefix + trait]
    } else if (trait in override_defaults) {
      result[name] = override_defaults[trait]
    } else if (name in all_defaults) {
      result[name] = all_defaults[name]
    } else if (trait in trait_defaults) {
      result[name] = trait_defaults[trait]
    }
    if (!names.has(trait)) traits.add(trait)
  }
  for (const trait of traits) delete props[prefix + trait]
  return result
}

/** Whether any argument starts with `prefix` (Python makes selection/hover glyphs only then). */
export function has_prefixed(props: Readonly<Record<string, unknown>>, prefix: string): boolean {
  return Object.keys(props).some((k) => k.startsWith(prefix))
}
