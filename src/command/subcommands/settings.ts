/**
 * `bokeh-ts settings`: the BOKEH_* settings bokeh-ts reads and their current values (Python's
 * `bokeh settings`). Values come from the environment; secrets are never printed.
 */
import { ConfigError } from "../../core/errors.ts"

export const settings_help = `usage: bokeh-ts settings [-h] [-v] [SETTING ...]

Print information about Bokeh settings and their current values.

positional arguments:
  SETTING        one or more specific settings to show (by name or environment variable)

options:
  -h, --help     show this help message and exit
  -v, --verbose  show each setting's help
`

interface SettingRow {
  readonly name: string
  readonly env_var: string
  readonly default: string
  readonly help: string
  readonly secret?: boolean
}

/** What bokeh-ts reads, with Python's setting names. */
export const SETTINGS: readonly SettingRow[] = [
  { name: "allowed_ws_origin", env_var: "BOKEH_ALLOW_WS_ORIGIN", default: "[]", help: "Comma-separated websocket origins the server accepts (overrides --allow-websocket-origin)." },
  { name: "auth_module", env_var: "BOKEH_AUTH_MODULE", default: "None", help: "A module with authentication hooks for the server." },
  { name: "browser", env_var: "BOKEH_BROWSER", default: "None", help: "The browser show() and --show open ('none' opens nothing)." },
  { name: "chromium", env_var: "BOKEH_CHROMIUM", default: "/usr/bin/chromium", help: "The Chromium export_png/export_svg drive (not in Python, whose exports use a web driver)." },
  { name: "cookie_secret", env_var: "BOKEH_COOKIE_SECRET", default: "None", help: "The key signing secure cookies of auth modules.", secret: true },
  { name: "default_server_host", env_var: "BOKEH_DEFAULT_SERVER_HOST", default: "localhost", help: "The host of the default server URL (server_document, pull_session, ...)." },
  { name: "default_server_port", env_var: "BOKEH_DEFAULT_SERVER_PORT", default: "5006", help: "The port of the default server URL." },
  { name: "log_level", env_var: "BOKEH_LOG_LEVEL", default: "info", help: "BokehJS's log level in pages, and the server's default log level." },
  { name: "resources", env_var: "BOKEH_RESOURCES", default: "cdn", help: "Where standalone output loads BokehJS from: cdn, inline, server, relative, absolute." },
  { name: "secret_key", env_var: "BOKEH_SECRET_KEY", default: "None", help: "The key signing session ids and tokens (see bokeh-ts secret).", secret: true },
  { name: "sign_sessions", env_var: "BOKEH_SIGN_SESSIONS", default: "False", help: "Whether the server signs session ids (needs secret_key)." },
  { name: "ssl_certfile", env_var: "BOKEH_SSL_CERTFILE", default: "None", help: "A PEM certificate: the server speaks https/wss." },
  { name: "ssl_keyfile", env_var: "BOKEH_SSL_KEYFILE", default: "None", help: "The PEM private key for ssl_certfile." },
  { name: "ssl_password", env_var: "BOKEH_SSL_PASSWORD", default: "None", help: "The password of an encrypted ssl_keyfile.", secret: true },
  { name: "xsrf_cookies", env_var: "BOKEH_XSRF_COOKIES", default: "False", help: "Whether the server checks XSRF cookies on non-GET requests." },
]

function value_of(row: SettingRow): { value: string; source: string } {
  const raw = process.env[row.env_var]
  if (raw === undefined) return { value: row.default, source: "default" }
  return { value: row.secret === true ? "(set, hidden)" : raw, source: `environment (${row.env_var})` }
}

export function settings(argv: readonly string[]): number {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(settings_help)
    return 0
  }
  const verbose = argv.includes("-v") || argv.includes("--verbose")
  const names = argv.filter((a) => a !== "-v" && a !== "--verbose")
  const unknown = names.find((a) => a.startsWith("-"))
  if (unknown !== undefined) throw new ConfigError("BK_ERR_CONFIG", `unknown option ${unknown}`)
  if (names.length === 0 && !verbose) {
    const line = (a: string, b: string, c: string) => `${a.padEnd(30)} ${b.padEnd(35)} ${c.padEnd(25)}`.trimEnd()
    const rows = SETTINGS.map((r) => line(r.name, r.env_var, value_of(r).value))
    process.stdout.write(`\nBokeh Settings:\n${"=".repeat(80)}\n${line("Setting", "Environment Variable", "Value")}\n${"-".repeat(80)}\n${rows.join("\n")}\n`)
    return 0
  }
  let status = 0
  const chosen = names.length === 0 ? SETTINGS : names.map((n) => SETTINGS.find((r) => r.name === n || r.env_var === n) ?? n)
  for (const row of chosen) {
    if (typeof row === "string") {
      process.stdout.write(`No setting '${row}'. Settings: ${SETTINGS.map((r) => r.name).join(", ")}\n`)
      status = 1
      continue
    }
    const { value, source } = value_of(row)
    process.stdout.write(`${row.name} (${row.env_var}): ${value}\n`)
    if (verbose) process.stdout.write(`    source: ${source}\n    default: ${row.default}\n    ${row.help}\n`)
  }
  return status
}
