/** What `Document.theme` accepts, resolved to a Theme (Python's Document.theme setter rules). */
import { ThemeError } from "../core/errors.ts"
import { Theme, built_in_themes, default_theme, type BuiltinThemeName } from "../themes/main.ts"

export function resolve_theme(theme: Theme | BuiltinThemeName | null | undefined): Theme {
  if (theme === null || theme === undefined) return default_theme
  if (typeof theme === "string") {
    if (!Object.hasOwn(built_in_themes, theme)) {
      throw new ThemeError("BK_ERR_UNKNOWN_THEME", `'${theme}' is not a built-in theme; available themes are ${Object.keys(built_in_themes).join(", ")}`)
    }
    return built_in_themes[theme]
  }
  if (!(theme instanceof Theme)) throw new ThemeError("BK_ERR_UNKNOWN_THEME", "Document.theme must be a Theme, the name of a built-in theme, or null")
  return theme
}
