/**
 * The websocket origin allowlist (protocol §1.6): exact `host:port` entries or patterns with `*`
 * labels and ports; a port-less origin counts as `:80`.
 */
import { ConfigError } from "../core/errors.ts"

/** Normalizes `--allow-websocket-origin` values: `name` → `name:80`; `*` stays; bad ports throw. */
export function normalize_origins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    if (origin === "*") return origin
    const colon = origin.lastIndexOf(":")
    if (colon < 0) return `${origin.toLowerCase()}:80`
    const port = origin.slice(colon + 1)
    if (port !== "*" && !/^\d+$/.test(port)) throw new ConfigError("BK_ERR_CONFIG", `websocket origin '${origin}' needs a numeric port (or none, meaning 80)`)
    return origin.toLowerCase()
  })
}

/** The `host:port` an Origin header names (`:80` added when it has no port). */
export function origin_host(origin: string): string | null {
  let netloc: string
  try {
    netloc = new URL(origin).host.toLowerCase()
  } catch {
    return null
  }
  // URL drops default ports (:80 for http, :443 for https); Bokeh compares the netloc as written.
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(origin)
  if (m !== null) netloc = m[1]!.replace(/^.*@/, "").toLowerCase()
  return netloc.includes(":") && !netloc.endsWith("]") ? netloc : `${netloc}:80`
}

/** Whether `host` (`name:port`) is allowed by the list of exact entries and patterns. */
export function check_allowlist(host: string, allowlist: readonly string[]): boolean {
  if (allowlist.includes(host)) return true
  const colon = host.lastIndexOf(":")
  const [name, port] = colon < 0 ? [host, ""] : [host.slice(0, colon), host.slice(colon + 1)]
  for (const pattern of allowlist) {
    if (pattern === "*") return true
    const pc = pattern.lastIndexOf(":")
    const [pname, pport] = pc < 0 ? [pattern, null] : [pattern.slice(0, pc), pattern.slice(pc + 1)]
    if (pport !== null && pport !== "*" && pport !== port) continue
    const labels = name.split(".")
    const plabels = pname.split(".")
    if (plabels.length > labels.length) continue
    if (plabels.every((p, i) => p === "*" || p === labels[i])) return true
  }
  return false
}
