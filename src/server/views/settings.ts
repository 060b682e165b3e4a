/**
 * The core's settings, resolved once when it is built: server options over `BOKEH_*` settings over
 * defaults, as Python's precedence. Views read these instead of the options or the environment.
 */
import { ConfigError } from "../../core/errors.ts"
import { RESOURCES_MODES, type ResourcesMode } from "../../embed/resources.ts"
import { resolve_settings, type Settings } from "../../settings.ts"
import type { SigningOptions } from "../../util/token.ts"
import type { ConnectionLimits } from "../connection.ts"
import { DEFAULTS, normalize_prefix, type ServerOptions } from "../options.ts"
import { normalize_origins } from "../origin.ts"

export interface CoreSettings {
  /** The URL prefix (`--prefix`), normalized: "" or "/name". */
  readonly prefix: string
  readonly options: ServerOptions
  /** Bokeh settings (`options.settings`, else read from the environment). */
  readonly settings: Settings
  /** Whether responses are compressed (`--compress`, `BOKEH_COMPRESS`; on by default). */
  readonly compress: boolean
  readonly signing: Required<Pick<SigningOptions, "signed" | "secret_key">>
  readonly resources: ResourcesMode
  readonly connection_limits: ConnectionLimits
  /** The final websocket Origin allowlist. */
  readonly websocket_origins: readonly string[]
  readonly websocket_max_message_size: number
  /** permessage-deflate settings (`--websocket-compression-level`), or false: off, as Python's default. */
  readonly websocket_compression: false | { level: number; mem_level?: number }
}

/** `origins` is the allowlist the caller computed (the `BOKEH_ALLOW_WS_ORIGIN` setting, when set, replaces it). */
export function resolve_core_settings(options: ServerOptions, origins: readonly string[]): CoreSettings {
  const settings = options.settings ?? resolve_settings()
  const signing = { signed: options.sign_sessions ?? settings.sign_sessions, secret_key: options.secret_key ?? settings.secret_key }
  if (signing.signed && (signing.secret_key === null || signing.secret_key.length === 0))
    throw new ConfigError("BK_ERR_OPTION", "signed sessions need a secret key: set BOKEH_SECRET_KEY (generate one with `bokeh-ts secret`)")
  // As Python's websocket handler: the allowed_ws_origin setting, when set, replaces the option.
  const setting_origins = settings.allowed_ws_origin
  return {
    prefix: normalize_prefix(options.prefix),
    options,
    settings,
    compress: options.compress ?? settings.compress,
    signing,
    resources: resources_mode(options, settings),
    connection_limits: {
      max_buffered_bytes: options.websocket_max_buffered_bytes ?? DEFAULTS.websocket_max_buffered_bytes,
      stall_timeout_milliseconds: options.websocket_stall_timeout_milliseconds ?? DEFAULTS.websocket_stall_timeout_milliseconds,
      max_queued_messages: options.websocket_max_queued_messages ?? DEFAULTS.websocket_max_queued_messages,
    },
    websocket_origins: normalize_origins(setting_origins.length > 0 ? [...setting_origins] : [...origins]),
    websocket_max_message_size: options.websocket_max_message_size ?? DEFAULTS.websocket_max_message_size,
    websocket_compression: websocket_compression(options),
  }
}

/** `--resources` over `BOKEH_RESOURCES` ("server" for a mode this server does not serve). */
function resources_mode(options: ServerOptions, settings: Settings): ResourcesMode {
  if (options.resources !== undefined) return options.resources
  return RESOURCES_MODES.includes(settings.resources as ResourcesMode) ? (settings.resources as ResourcesMode) : "server"
}

function websocket_compression(options: ServerOptions): CoreSettings["websocket_compression"] {
  const level = options.websocket_compression_level
  if (level === undefined || level === null) return false
  const mem_level = options.websocket_compression_mem_level
  return mem_level === undefined || mem_level === null ? { level } : { level, mem_level }
}
