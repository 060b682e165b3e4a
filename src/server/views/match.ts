/** Which application a request path is for. */
import type { ApplicationContext } from "../contexts.ts"

/**
 * Splits `path` into (app, rest after the app path), or null. `apps` are ordered longest path first,
 * so /a/b is tried before /a.
 */
export function match_app(prefix: string, apps: readonly ApplicationContext[], path: string): { app: ApplicationContext; rest: string } | null {
  if (!path.startsWith(prefix)) return null
  const local = path.slice(prefix.length)
  for (const app of apps) {
    const base = app.url === "/" ? "" : app.url
    if (local === base || local.startsWith(`${base}/`)) return { app, rest: local.slice(base.length) }
  }
  return null
}
