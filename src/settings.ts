/**
 * Bokeh's settings (Python's `bokeh.settings`): every `BOKEH_*` setting in one typed table, resolved
 * with Python's precedence, highest first:
 *
 *   1. an explicit value (a command-line option, or an option passed in code);
 *   2. the `--use-config` YAML file (Python's "override config", `settings.load_config`);
 *   3. the environment variable (`BOKEH_SECRET_KEY`, …);
 *   4. the default.
 *
 * (Python puts the `--use-config` file above the environment; checked with Bokeh 3.9.2. Python's
 * per-user `~/.bokeh/bokeh.yaml`, below the environment, is not read.)
 *
 * This is the only module that reads `process.env` (the lint checks it), for settings and for Node's
 * own `NODE_OPTIONS` (`node_options`). A server resolves all of them
 * once (`resolve_settings`) and passes the result down; library helpers that have no server
 * (`default_server_http_url`, the token helpers) read one setting at call time (`read_setting`).
 * Nothing here writes to `process.env`.
 *
 * To add a setting: add a row to `TABLE` (Python's name, its environment variable, a converter, the
 * default and one line of help). Its type in `Settings` follows from the converter.
 */
import { ConfigError } from "./core/errors.ts"

/** A raw value from one layer: text from the environment, or what YAML gave. */
type Raw = unknown

/** Turns a raw value into the setting's type; `where` names its source for error messages. */
type Convert<T> = (raw: Raw, where: string) => T

function bad(where: string, expected: string, raw: Raw): ConfigError {
  return new ConfigError("BK_ERR_OPTION", `${where}: expected ${expected}, got ${JSON.stringify(raw)}`)
}

/** Text as is (Python's `convert_str`); YAML numbers become their text. */
const str: Convert<string> = (raw, where) => {
  if (typeof raw === "string") return raw
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw)
  throw bad(where, "text", raw)
}

/** Python's `convert_bool`: yes/1/on/true and no/0/off/false, any case. */
const bool: Convert<boolean> = (raw, where) => {
  if (typeof raw === "boolean") return raw
  const text = typeof raw === "string" || typeof raw === "number" ? String(raw).toLowerCase() : null
  if (text !== null && ["yes", "1", "on", "true"].includes(text)) return true
  if (text !== null && ["no", "0", "off", "false"].includes(text)) return false
  throw bad(where, "yes/no, on/off, true/false or 1/0", raw)
}

/**
 * A flag Python reads as text and then tests for truth (no converter): any non-empty text is true,
 * even "0" or "no" (Bokeh's rule for `BOKEH_SIGN_SESSIONS`); a YAML boolean is itself.
 */
const truthy: Convert<boolean> = (raw, where) => {
  if (typeof raw === "boolean") return raw
  return str(raw, where) !== ""
}

const int: Convert<number> = (raw, where) => {
  const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN
  if (!Number.isInteger(n)) throw bad(where, "an integer", raw)
  return n
}

/** Python's `convert_compression`: a gzip level 0–9. */
const compression: Convert<number> = (raw, where) => {
  const n = int(raw, where)
  if (n < 0 || n > 9) throw bad(where, "an integer in 0..9", raw)
  return n
}

/** Python's `convert_str_seq`: a YAML list, or comma-separated text (entries trimmed, empty ones dropped). */
const str_list: Convert<readonly string[]> = (raw, where) => {
  const items = Array.isArray(raw) ? raw.map((item) => str(item, where)) : str(raw, where).split(",")
  return items.map((s) => s.trim()).filter((s) => s !== "")
}

function one_of<const T extends string>(values: readonly T[]): Convert<T> {
  return (raw, where) => {
    const text = str(raw, where).toLowerCase()
    if (!(values as readonly string[]).includes(text)) throw bad(where, `one of ${values.join(", ")}`, raw)
    return text as T
  }
}

/** Python's `convert_ico_path`: "default", "none", or a path to a .ico file. */
const ico_path: Convert<string> = (raw, where) => {
  const text = str(raw, where)
  const lowered = text.toLowerCase()
  if (lowered === "none" || lowered === "default" || lowered === "default-dev") return lowered
  if (!lowered.endsWith(".ico")) throw bad(where, '"default", "none" or a path to a .ico file', raw)
  return text
}

/** Python's resource modes (`bokeh.resources`); the server only tells "cdn" from the rest. */
export const RESOURCE_MODES = ["server", "cdn", "inline", "relative", "absolute", "server-dev", "relative-dev", "absolute-dev"] as const

interface Row<T> {
  /** The environment variable. */
  readonly env: string
  /** The key in a `--use-config` YAML file (Python's name, which is not always the attribute's). */
  readonly config: string
  readonly convert: Convert<T>
  readonly default: T
  readonly help: string
}

function row<T>(env: string, config: string, convert: Convert<T>, default_value: T, help: string): Row<T> {
  return { env, config, convert, default: default_value, help }
}

/** Converter of a setting that may be absent (default null). */
function optional<T>(convert: Convert<T>): Convert<T | null> {
  return convert
}

/** Every setting of Python Bokeh 3.9, by Python's attribute name. */
export const SETTINGS_TABLE = {
  allowed_ws_origin: row(
    "BOKEH_ALLOW_WS_ORIGIN",
    "allowed_ws_origin",
    str_list,
    [] as readonly string[],
    "websocket origins the server accepts; when set, replaces --allow-websocket-origin",
  ),
  auth_module: row("BOKEH_AUTH_MODULE", "auth_module", optional(str), null, "a module of user authentication hooks for the server (--auth-module)"),
  browser: row("BOKEH_BROWSER", "browser", optional(str), null, 'the browser show() opens: a command, or "none" to open nothing'),
  cdn_version: row("BOKEH_CDN_VERSION", "version", optional(str), null, "the BokehJS version CDN URLs name (not used: bokeh-ts serves its pinned BokehJS)"),
  chromium: row("BOKEH_CHROMIUM", "chromium", optional(str), null, "bokeh-ts only: the Chromium export_png/export_svg drive (default /usr/bin/chromium)"),
  chromedriver_path: row("BOKEH_CHROMEDRIVER_PATH", "chromedriver_path", optional(str), null, "chromedriver for Python's export (not used by bokeh-ts)"),
  compression_level: row("BOKEH_COMPRESSION_LEVEL", "compression_level", compression, 2, "gzip level 0-9 for base64-inlined buffers in standalone output"),
  compress: row("BOKEH_COMPRESS", "compress", bool, true, "bokeh-ts only: serve bundles, pages and autoload.js brotli/gzip-compressed (--compress)"),
  cookie_secret: row("BOKEH_COOKIE_SECRET", "cookie_secret", optional(str), null, "the secret for secure cookies (--cookie-secret)"),
  default_server_host: row("BOKEH_DEFAULT_SERVER_HOST", "default_server_host", str, "localhost", 'the host a "default" server URL names'),
  default_server_port: row("BOKEH_DEFAULT_SERVER_PORT", "default_server_port", int, 5006, 'the port a "default" server URL names'),
  docs_cdn: row("BOKEH_DOCS_CDN", "docs_cdn", optional(str), null, "BokehJS for building Bokeh's docs (not used by bokeh-ts)"),
  docs_version: row("BOKEH_DOCS_VERSION", "docs_version", optional(str), null, "Bokeh version for building Bokeh's docs (not used by bokeh-ts)"),
  ts_cache_dir: row(
    "BOKEH_TS_CACHE_DIR",
    "ts_cache_dir",
    optional(str),
    null,
    "bokeh-ts only: where compiled TypeScript app modules are cached (default: a folder in the temp dir)",
  ),
  ico_path: row("BOKEH_ICO_PATH", "ico_path", ico_path, "default", 'the favicon: "default", "none", or a .ico file (--ico-path)'),
  ignore_filename: row("BOKEH_IGNORE_FILENAME", "ignore_filename", bool, false, "ignore the script's file name when saving output"),
  log_level: row("BOKEH_LOG_LEVEL", "log_level", str, "info", "BokehJS's log level in served pages (trace, debug, info, warn, error, fatal)"),
  minified: row("BOKEH_MINIFIED", "minified", bool, true, "use minified BokehJS"),
  nodejs_path: row("BOKEH_NODEJS_PATH", "nodejs_path", optional(str), null, "Node for Python's extensions and export (not used by bokeh-ts)"),
  perform_document_validation: row("BOKEH_VALIDATE_DOC", "validate_doc", bool, true, "validate documents before output"),
  perform_error_diagnostics: row("BOKEH_PERFORM_ERROR_DIAGNOSTICS", "perform_error_diagnostics", bool, true, "costly error diagnostics (Python only)"),
  pretty: row("BOKEH_PRETTY", "pretty", truthy, false, "pretty-print JSON output"),
  py_log_level: row(
    "BOKEH_PY_LOG_LEVEL",
    "py_log_level",
    one_of(["trace", "debug", "info", "warning", "error", "critical", "none"]),
    "none",
    "Python Bokeh's own log level (not used by bokeh-ts)",
  ),
  resources: row(
    "BOKEH_RESOURCES",
    "resources",
    one_of(RESOURCE_MODES),
    "server",
    "where pages load BokehJS from (the server defaults to server, standalone output to cdn, as in Python)",
  ),
  rootdir: row("BOKEH_ROOTDIR", "rootdir", optional(str), null, "root for relative resources"),
  secret_key: row("BOKEH_SECRET_KEY", "secret_key", optional(str), null, 'the key that signs session ids and tokens (see "bokeh-ts secret")'),
  serialize_include_defaults: row(
    "BOKEH_SERIALIZE_INCLUDE_DEFAULTS",
    "serialize_include_defaults",
    truthy,
    false,
    "include default values when serializing models",
  ),
  sign_sessions: row("BOKEH_SIGN_SESSIONS", "sign_sessions", truthy, false, "accept only session ids signed with secret_key"),
  simple_ids: row("BOKEH_SIMPLE_IDS", "simple_ids", bool, true, "number model ids p1001, p1002, … instead of random ids"),
  ssl_certfile: row("BOKEH_SSL_CERTFILE", "ssl_certfile", optional(str), null, "PEM certificate: serve https/wss (--ssl-certfile)"),
  ssl_keyfile: row("BOKEH_SSL_KEYFILE", "ssl_keyfile", optional(str), null, "PEM private key (--ssl-keyfile)"),
  ssl_password: row("BOKEH_SSL_PASSWORD", "ssl_password", optional(str), null, "passphrase of an encrypted private key"),
  validation_level: row("BOKEH_VALIDATION_LEVEL", "validation_level", one_of(["none", "errors", "all"]), "none", "which validation problems raise"),
  xsrf_cookies: row("BOKEH_XSRF_COOKIES", "xsrf_cookies", bool, false, "auth endpoints' POST/PUT/DELETE must echo the _xsrf cookie (--enable-xsrf-cookies)"),
} as const

export type SettingName = keyof typeof SETTINGS_TABLE

/** Resolved settings: one typed value per setting. */
export type Settings = {
  readonly [K in SettingName]: (typeof SETTINGS_TABLE)[K] extends Row<infer T> ? T : never
}

/** Values given explicitly (options); `undefined` entries are "not given". */
export type ExplicitSettings = { readonly [K in SettingName]?: Settings[K] | undefined }

/** The layers below an explicit value. */
export interface SettingsLayers {
  readonly explicit?: ExplicitSettings
  /** A `--use-config` file's mapping, by Python's config names (see `load_config` in command/config_file.ts). */
  readonly config?: Readonly<Record<string, unknown>>
  /** The environment; `process.env` when not given. An empty variable counts as unset. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** One setting resolved through the layers. */
export function read_setting<K extends SettingName>(name: K, layers: SettingsLayers = {}): Settings[K] {
  return setting_with_source(name, layers).value
}

/** Where a resolved value came from (`bokeh-ts settings` prints it). */
export type SettingSource = "explicit" | "config file" | "environment" | "default"

/** One setting resolved through the layers, with the layer that gave it. */
export function setting_with_source<K extends SettingName>(name: K, layers: SettingsLayers = {}): { value: Settings[K]; source: SettingSource } {
  const spec = SETTINGS_TABLE[name] as unknown as Row<Settings[K]>
  const explicit = layers.explicit?.[name]
  if (explicit !== undefined) return { value: explicit as Settings[K], source: "explicit" }
  const config = layers.config
  if (config !== undefined && Object.hasOwn(config, spec.config)) {
    const raw = config[spec.config]
    // A YAML null means "not set here", as an absent key.
    if (raw !== null && raw !== undefined) return { value: spec.convert(raw, `setting ${spec.config} in the config file`), source: "config file" }
  }
  const text = (layers.env ?? process.env)[spec.env]
  if (text !== undefined && text !== "") return { value: spec.convert(text, spec.env), source: "environment" }
  return { value: spec.default, source: "default" }
}

/** A setting's value when some layer gives it, else undefined (for code whose own default differs). */
export function given_setting<K extends SettingName>(name: K, layers: SettingsLayers = {}): Settings[K] | undefined {
  const { value, source } = setting_with_source(name, layers)
  return source === "default" ? undefined : value
}

/**
 * Every setting resolved through the layers, once: what a server keeps and passes down. The environment
 * is read here, once; each setting is converted the first time it is read and kept, so (as in Python) a
 * malformed variable is an error only for code that uses that setting.
 */
export function resolve_settings(layers: SettingsLayers = {}): Settings {
  const snapshot: SettingsLayers = { ...layers, env: layers.env ?? { ...process.env } }
  const resolved = new Map<SettingName, unknown>()
  const out = {}
  for (const name of Object.keys(SETTINGS_TABLE) as SettingName[]) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        if (!resolved.has(name)) resolved.set(name, read_setting(name, snapshot))
        return resolved.get(name)
      },
    })
  }
  return Object.freeze(out) as Settings
}

/** Keys of a config mapping that name no setting (Python ignores them; the CLI warns). */
export function unknown_config_keys(config: Readonly<Record<string, unknown>>): string[] {
  const known = new Set(Object.values(SETTINGS_TABLE).map((spec) => spec.config))
  return Object.keys(config).filter((key) => !known.has(key))
}

/**
 * Node's own `NODE_OPTIONS` (not a Bokeh setting; "" when unset). The app loader reads it to tell whether
 * the process already loads TypeScript through it (`--import tsx`), so it doesn't register a second loader.
 */
export function node_options(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env["NODE_OPTIONS"] ?? ""
}
