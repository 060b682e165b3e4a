/**
 * `bokeh-ts serve --use-config FILE`: a YAML file of Bokeh settings (`secret_key: ...`,
 * `sign_sessions: true`, `allowed_ws_origin: [a.com, b.com]`, ...), as Python's `settings.load_config`.
 * Python's precedence holds: an option given on the command line beats the environment, which beats
 * the file, which beats the default. So each setting fills its `BOKEH_*` environment variable only
 * when that is not already set, and everything downstream reads settings as before.
 */
import { readFileSync } from "node:fs"
import { parse as parse_yaml } from "yaml"

import { ConfigError } from "../core/errors.ts"
import { log } from "../util/logging.ts"

/** Setting name → environment variable, where Python's differs from `BOKEH_` + NAME. */
const ENV_NAMES: Readonly<Record<string, string>> = { allowed_ws_origin: "BOKEH_ALLOW_WS_ORIGIN" }

/** The environment text of a setting value: lists comma-joined; false means "leave unset". */
function env_value(value: unknown): string | null {
  if (value === false || value === null || value === undefined) return null
  if (value === true) return "true"
  if (Array.isArray(value)) return value.map(String).join(",")
  if (typeof value === "object") throw new ConfigError("BK_ERR_CONFIG", `a setting value must be text, a number, a boolean or a list, got ${JSON.stringify(value)}`)
  return String(value)
}

/** Loads the settings in `path` into `env` (default process.env); returns the names it set. */
export function load_config(path: string, env: NodeJS.ProcessEnv = process.env): string[] {
  let data: unknown
  try {
    data = parse_yaml(readFileSync(path, "utf8"), { version: "1.1" })
  } catch (error) {
    throw new ConfigError("BK_ERR_CONFIG", `--use-config: cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  if (data === null || data === undefined) return []
  if (typeof data !== "object" || Array.isArray(data)) throw new ConfigError("BK_ERR_CONFIG", `--use-config: ${path} must be a mapping of setting names to values`)
  log.info(`Using override config file: ${path}`)
  const set: string[] = []
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    const env_name = ENV_NAMES[name] ?? `BOKEH_${name.toUpperCase()}`
    const text = env_value(value)
    if (text === null || (env[env_name] ?? "") !== "") continue
    env[env_name] = text
    set.push(env_name)
  }
  return set
}
