/**
 * `bokeh-ts serve --use-config FILE`: a YAML file of Bokeh settings (`secret_key: ...`,
 * `sign_sessions: true`, `allowed_ws_origin: [a.com, b.com]`, ...), as Python's `settings.load_config`.
 * The file becomes the config layer of `resolve_settings` (src/settings.ts): it beats the environment
 * and loses to command-line options, as in Python. Nothing is written to `process.env`.
 */
import { readFileSync } from "node:fs"
import { parse as parse_yaml } from "yaml"

import { CliError, ConfigError } from "../core/errors.ts"
import { unknown_config_keys } from "../settings.ts"
import { log } from "../util/logging.ts"

/** Reads the settings mapping in `path` (YAML 1.1, as PyYAML); every value is text, a number, a boolean, null or a list. */
export function load_config(path: string): Readonly<Record<string, unknown>> {
  let data: unknown
  try {
    data = parse_yaml(readFileSync(path, "utf8"), { version: "1.1" })
  } catch (error) {
    throw new CliError("BK_ERR_CLI", `--use-config: cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  if (data === null || data === undefined) return {}
  if (typeof data !== "object" || Array.isArray(data)) throw new CliError("BK_ERR_CLI", `--use-config: ${path} must be a mapping of setting names to values`)
  const config = data as Record<string, unknown>
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      throw new CliError("BK_ERR_CLI", `--use-config: setting ${name} must be text, a number, a boolean or a list, got ${JSON.stringify(value)}`)
  }
  log.info(`Using override config file: ${path}`)
  const unknown = unknown_config_keys(config)
  if (unknown.length > 0) log.warning(`--use-config: ${path} names no Bokeh setting ${unknown.join(", ")}; ignored`)
  return config
}
