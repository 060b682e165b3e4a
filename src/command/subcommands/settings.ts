/**
 * `bokeh-ts settings`: Bokeh's settings (src/settings.ts) and their current values, as Python's
 * `bokeh settings`. Values come from the environment (this command has no --use-config); secrets are
 * never printed.
 */
import { CliError } from "../../core/errors.ts"
import { SETTINGS_TABLE, setting_with_source, type SettingName } from "../../settings.ts"

export const settings_help = `usage: bokeh-ts settings [-h] [-v] [SETTING ...]

Print information about Bokeh settings and their current values.

positional arguments:
  SETTING        one or more specific settings to show (by name or environment variable)

options:
  -h, --help     show this help message and exit
  -v, --verbose  show each setting's help
`

const SECRETS: ReadonlySet<SettingName> = new Set(["secret_key", "cookie_secret", "ssl_password"])
const NAMES = Object.keys(SETTINGS_TABLE) as SettingName[]

function shown(value: unknown): string {
  if (value === null) return "None"
  if (typeof value === "string") return value
  return JSON.stringify(value)
}

function value_of(name: SettingName): { value: string; source: string } {
  try {
    const { value, source } = setting_with_source(name)
    if (source !== "default" && SECRETS.has(name)) return { value: "(set, hidden)", source }
    return { value: shown(value), source: source === "environment" ? `environment (${SETTINGS_TABLE[name].env})` : source }
  } catch (error) {
    return { value: `(invalid: ${(error as Error).message})`, source: `environment (${SETTINGS_TABLE[name].env})` }
  }
}

export function settings(argv: readonly string[]): number {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(settings_help)
    return 0
  }
  const verbose = argv.includes("-v") || argv.includes("--verbose")
  const names = argv.filter((a) => a !== "-v" && a !== "--verbose")
  const unknown = names.find((a) => a.startsWith("-"))
  if (unknown !== undefined) throw new CliError("BK_ERR_CLI", `unknown option ${unknown}`)
  if (names.length === 0 && !verbose) {
    const line = (a: string, b: string, c: string) => `${a.padEnd(30)} ${b.padEnd(35)} ${c.padEnd(25)}`.trimEnd()
    const rows = NAMES.map((n) => line(n, SETTINGS_TABLE[n].env, value_of(n).value))
    process.stdout.write(`\nBokeh Settings:\n${"=".repeat(80)}\n${line("Setting", "Environment Variable", "Value")}\n${"-".repeat(80)}\n${rows.join("\n")}\n`)
    return 0
  }
  let status = 0
  const chosen = names.length === 0 ? NAMES : names.map((n) => NAMES.find((name) => name === n || SETTINGS_TABLE[name].env === n) ?? n)
  for (const name of chosen) {
    if (!(NAMES as string[]).includes(name)) {
      process.stdout.write(`No setting '${name}'. Settings: ${NAMES.join(", ")}\n`)
      status = 1
      continue
    }
    const row = SETTINGS_TABLE[name as SettingName]
    const { value, source } = value_of(name as SettingName)
    process.stdout.write(`${name} (${row.env}): ${value}\n`)
    if (verbose) process.stdout.write(`    source: ${source}\n    default: ${shown(row.default)}\n    ${row.help}\n`)
  }
  return status
}
