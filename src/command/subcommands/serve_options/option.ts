/** The entry type of `bokeh-ts serve`'s option table, and the value lists several entries share. */
import type { ServerOptions } from "../../../server/options.ts"
import type { ExplicitSettings } from "../../../settings.ts"
import type { OptionSpec } from "../../option_table.ts"

/** What a serve option means: server options, explicit Bokeh settings, or both. */
export interface ServeMapping {
  readonly server?: ServerOptions
  readonly settings?: ExplicitSettings
}

export type ServeOption<T> = OptionSpec<T, ServeMapping>

/** Types one entry (so `map` is checked against the value `parse` returns). */
export function option<T>(spec: ServeOption<T>): ServeOption<T> {
  return spec
}

export const SESSION_ID_MODES = ["unsigned", "signed", "external-signed"] as const
export const RESOURCES = ["server", "cdn", "inline"] as const
export const YES_NO = ["yes", "no", "true", "false", "on", "off", "1", "0"] as const
