/**
 * Bokeh's built-in themes, by name (Python's `bokeh.themes`): set one with `doc.theme = "dark_minimal"`
 * or `doc.theme = built_in_themes[DARK_MINIMAL]`.
 */
import { json as caliber } from "./caliber.ts"
import { json as carbon } from "./carbon.ts"
import { json as contrast } from "./contrast.ts"
import { json as dark_minimal } from "./dark_minimal.ts"
import { json as light_minimal } from "./light_minimal.ts"
import { json as night_sky } from "./night_sky.ts"
import { Theme } from "./theme.ts"

export { Theme, type ThemeJson, type ThemeOptions } from "./theme.ts"

export const CALIBER = "caliber"
export const CARBON = "carbon"
export const LIGHT_MINIMAL = "light_minimal"
export const DARK_MINIMAL = "dark_minimal"
export const NIGHT_SKY = "night_sky"
export const CONTRAST = "contrast"

export type BuiltinThemeName = typeof CALIBER | typeof CARBON | typeof LIGHT_MINIMAL | typeof DARK_MINIMAL | typeof NIGHT_SKY | typeof CONTRAST

/** The built-in themes by name. Built lazily: checking a theme needs the model catalogue loaded. */
export const built_in_themes: Readonly<Record<BuiltinThemeName, Theme>> = lazy_themes({
  [CALIBER]: caliber,
  [CARBON]: carbon,
  [DARK_MINIMAL]: dark_minimal,
  [LIGHT_MINIMAL]: light_minimal,
  [NIGHT_SKY]: night_sky,
  [CONTRAST]: contrast,
})

/** The theme of a document nobody themed: no values at all (Python's `bokeh.themes.default`). */
export const default_theme: Theme = new Theme({ json: {} })

function lazy_themes<K extends string>(jsons: Record<K, ConstructorParameters<typeof Theme>[0]["json"] & object>): Readonly<Record<K, Theme>> {
  const themes = {} as Record<K, Theme>
  for (const name of Object.keys(jsons) as K[]) {
    let theme: Theme | undefined
    Object.defineProperty(themes, name, { get: () => (theme ??= new Theme({ json: jsons[name] })), enumerable: true })
  }
  return Object.freeze(themes)
}
