/**
 * The websocket origin allowlist, matched as Bokeh's `check_allowlist`/`match_host` do: an entry is an
 * exact `host:port` or a pattern whose `*` stands for exactly one whole host label (or any port); host
 * and pattern must have the same number of labels, so `localhost.evil.com`, `localhost.` and
 * `a.example.com.evil.net` never match `localhost` or `*.example.com`. A port-less origin counts as `:80`.
 */
import { ConfigError } from "../core/errors.ts"

/** Normalizes `--allow-websocket-origin` values: `name` → `name:80`; `*` stays; bad ports and empty hosts throw. */
export function normalize_origins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    if (origin === "*") return origin
    const colon = origin.lastIndexOf(":")
    const name = colon < 0 ? origin : origin.slice(0, colon)
    if (name === "") throw new ConfigError("BK_ERR_OPTION", `websocket origin '${origin}' has an empty host`)
    if (colon < 0) return `${origin.toLowerCase()}:80`
    const port = origin.slice(colon + 1)
    if (port !== "*" && !/^\d+$/.test(port)) throw new ConfigError("BK_ERR_OPTION", `websocket origin '${origin}' needs a numeric port (or none, meaning 80)`)
    return origin.toLowerCase()
  })
}

/** The `host:port` an Origin header names (`:80` added when it has no port), or null if it names none. */
export function origin_host(origin: string): string | null {
  // Bokeh compares the netloc as written (URL would drop default ports such as :443).
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(origin)
  if (m === null) return null
  const netloc = m[1]!.replace(/^.*@/, "").toLowerCase()
  if (netloc === "") return null
  return netloc.includes(":") && !netloc.endsWith("]") ? netloc : `${netloc}:80`
}

/** Whether `host` (`name[:port]`) is allowed by the list of exact entries and patterns. */
export function check_allowlist(host: string, allowlist: readonly string[]): boolean {
  const full = host.includes(":") ? host : `${host}:80`
  if (allowlist.includes(full)) return true
  return allowlist.some((pattern) => match_host(full, pattern))
}

/**
 * Whether `host` matches `pattern`: ports must be equal unless the pattern's is `*` or absent, and
 * labels must be equal one by one (a `*` label matches any one label) with equal label counts.
 */
export function match_host(host: string, pattern: string): boolean {
  if (pattern === "*") return true
  const [name, port] = split_port(host)
  const [pname, pport] = split_port(pattern)
  if (pport !== null && pport !== "*" && pport !== port) return false
  if (pname === "*") return true
  const labels = name.split(".")
  const plabels = pname.split(".")
  if (labels.length !== plabels.length) return false
  return plabels.every((p, i) => p === "*" || p === labels[i])
}

function split_port(host: string): [string, string | null] {
  const colon = host.lastIndexOf(":")
  return colon < 0 ? [host, null] : [host.slice(0, colon), host.slice(colon + 1)]
}
