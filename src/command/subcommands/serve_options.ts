/**
 * Every option of `bokeh-ts serve`, spelled once. `--help`, parsing and the typed `ServerOptions` all
 * come from this table (see ../option_table.ts for the arities and parsers).
 *
 * To add an option, add one entry where it belongs in --help:
 *
 *   "drain-timeout": {
 *     arity: "one", metavar: "MS",
 *     help: "how long a stopping server waits for sessions to end (default 30000)",
 *     parse: integer(0),
 *     map: (ms) => ({ server: { drain_timeout_milliseconds: ms } }),
 *   },
 *
 * - `arity`: "flag" (no value), "one" (`--x V`), "repeat" (`--x A --x B`), "list" (`--x A B C`).
 * - `parse` turns the text into a typed value and throws CliError for bad input: use `text`, `texts`,
 *   `flag`, `integer(min, max)` or `choice([...])` from option_table.ts, or write one.
 * - `map` says what the value means: `server` is merged into the ServerOptions (type-checked against
 *   src/server/options.ts, so add the field there first), `settings` gives a Bokeh setting explicitly
 *   (it then beats --use-config and the environment, see src/settings.ts). Options the serve command
 *   reads itself (--show, --num-procs, ...) have no `map`: `serve()` reads them with `option_value`.
 * - Checks that involve several options go in `check_server_options` in serve.ts.
 * The unit tests print --help and check every entry appears in it.
 */
import { log_levels } from "../../util/logging.ts"
import type { ServerOptions } from "../../server/options.ts"
import type { ExplicitSettings } from "../../settings.ts"
import { choice, flag, integer, text, texts, type OptionSpec } from "../option_table.ts"

/** What a serve option means: server options, explicit Bokeh settings, or both. */
export interface ServeMapping {
  readonly server?: ServerOptions
  readonly settings?: ExplicitSettings
}

type ServeOption<T> = OptionSpec<T, ServeMapping>

function option<T>(spec: ServeOption<T>): ServeOption<T> {
  return spec
}

export const SESSION_ID_MODES = ["unsigned", "signed", "external-signed"] as const
const RESOURCES = ["server", "cdn", "inline"] as const
const YES_NO = ["yes", "no", "true", "false", "on", "off", "1", "0"] as const

export const SERVE_OPTIONS = {
  port: option({
    arity: "one",
    metavar: "PORT",
    help: "port to listen on (default 5006; 0 picks a free port)",
    parse: integer(0),
    map: (port) => ({ server: { port } }),
  }),
  address: option({
    arity: "one",
    metavar: "ADDRESS",
    help: "address to listen on (default: all interfaces)",
    parse: text,
    map: (address) => ({ server: { address } }),
  }),
  "unix-socket": option({
    arity: "one",
    metavar: "PATH",
    help: "listen on a unix domain socket instead (not with --port, --address or SSL; put a TLS proxy in front)",
    parse: text,
    map: (unix_socket) => ({ server: { unix_socket } }),
  }),
  "ssl-certfile": option({
    arity: "one",
    metavar: "CERTFILE",
    help: "PEM certificate: serve https/wss (BOKEH_SSL_CERTFILE)",
    parse: text,
    map: (ssl_certfile) => ({ settings: { ssl_certfile } }),
  }),
  "ssl-keyfile": option({
    arity: "one",
    metavar: "KEYFILE",
    help: "PEM private key (BOKEH_SSL_KEYFILE; default: in CERTFILE); BOKEH_SSL_PASSWORD unlocks an encrypted key",
    parse: text,
    map: (ssl_keyfile) => ({ settings: { ssl_keyfile } }),
  }),
  "num-procs": option({
    arity: "one",
    metavar: "N",
    help: "worker processes sharing the port (default 1; 0 = one per core); a session lives in the worker that created it (with --session-store it moves to another when needed)",
    parse: integer(0),
  }),
  "allow-websocket-origin": option({
    arity: "repeat",
    metavar: "HOST[:PORT]",
    help: 'allowed websocket origin (repeatable; default localhost:<port>; exact host; "*" stands for one whole label or any port, "*" alone allows all). BOKEH_ALLOW_WS_ORIGIN overrides',
    parse: texts,
    map: (allow_websocket_origin) => ({ server: { allow_websocket_origin } }),
  }),
  prefix: option({
    arity: "one",
    metavar: "PREFIX",
    help: "URL prefix for every route (except /favicon.ico)",
    parse: text,
    map: (prefix) => ({ server: { prefix } }),
  }),
  "keep-alive": option({
    arity: "one",
    metavar: "MS",
    help: "websocket keep-alive ping interval (default 37000, 0 = off); a client that has not answered a ping when the next is due is closed (code 4000) and BokehJS reconnects",
    parse: integer(0),
    map: (ms) => ({ server: { keep_alive_milliseconds: ms } }),
  }),
  "check-unused-sessions": option({
    arity: "one",
    metavar: "MS",
    help: "how often to look for unused sessions (default 17000)",
    parse: integer(1),
    map: (ms) => ({ server: { check_unused_sessions_milliseconds: ms } }),
  }),
  "unused-session-lifetime": option({
    arity: "one",
    metavar: "MS",
    help: "how long a session lives without connections (default 15000)",
    parse: integer(1),
    map: (ms) => ({ server: { unused_session_lifetime_milliseconds: ms } }),
  }),
  "session-ids": option({
    arity: "one",
    metavar: "MODE",
    help: 'unsigned | signed | external-signed (default: BOKEH_SIGN_SESSIONS); signed modes need BOKEH_SECRET_KEY (see "bokeh-ts secret")',
    parse: choice(SESSION_ID_MODES),
    map: (mode) => ({ settings: { sign_sessions: mode !== "unsigned" }, server: mode === "external-signed" ? { generate_session_ids: false } : {} }),
  }),
  "session-token-expiration": option({
    arity: "one",
    metavar: "S",
    help: "lifetime of session tokens in seconds (default 300)",
    parse: integer(1),
    map: (s) => ({ server: { session_token_expiration: s } }),
  }),
  "session-store": option({
    arity: "one",
    metavar: "URL",
    help: "share sessions through Redis (redis://host:port/db): each session's state is written there, and a session that arrives at another server resumes there (docs/sessions.md; not in Python)",
    parse: text,
    map: (session_store) => ({ server: { session_store } }),
  }),
  "session-store-max-bytes": option({
    arity: "one",
    metavar: "B",
    help: "largest session state written to the store (default 67108864)",
    parse: integer(1),
    map: (b) => ({ server: { session_store_max_bytes: b } }),
  }),
  "websocket-max-message-size": option({
    arity: "one",
    metavar: "B",
    help: "largest websocket message in bytes (default 20971520)",
    parse: integer(1),
    map: (b) => ({ server: { websocket_max_message_size: b } }),
  }),
  "websocket-max-buffered-bytes": option({
    arity: "one",
    metavar: "B",
    help: "outgoing bytes a websocket may hold before that client's updates are folded (newest value per attribute) instead of queued, and its messages wait (default 8388608; not in Python)",
    parse: integer(1),
    map: (b) => ({ server: { websocket_max_buffered_bytes: b } }),
  }),
  "websocket-stall-timeout": option({
    arity: "one",
    metavar: "MS",
    help: "close a websocket over that budget for this long (code 1013); BokehJS reconnects and pulls the document (default 30000, 0 = never; not in Python)",
    parse: integer(0),
    map: (ms) => ({ server: { websocket_stall_timeout_milliseconds: ms } }),
  }),
  "websocket-max-queued-messages": option({
    arity: "one",
    metavar: "N",
    help: "received messages waiting behind the one being handled before the socket is no longer read (default 8; not in Python)",
    parse: integer(1),
    map: (n) => ({ server: { websocket_max_queued_messages: n } }),
  }),
  "websocket-compression-level": option({
    arity: "one",
    metavar: "L",
    help: "permessage-deflate with zlib level L (0-9; default: off)",
    parse: integer(0, 9),
    map: (level) => ({ server: { websocket_compression_level: level } }),
  }),
  "websocket-compression-mem-level": option({
    arity: "one",
    metavar: "M",
    help: "zlib memLevel (1-9) with --websocket-compression-level",
    parse: integer(1, 9),
    map: (level) => ({ server: { websocket_compression_mem_level: level } }),
  }),
  index: option({ arity: "one", metavar: "PATH", help: "a Jinja template for the index page", parse: text, map: (index) => ({ server: { index } }) }),
  "disable-index": option({ arity: "flag", help: "no index page at the root", parse: flag, map: () => ({ server: { use_index: false } }) }),
  "disable-index-redirect": option({
    arity: "flag",
    help: "list a single app at the root instead of redirecting to it",
    parse: flag,
    map: () => ({ server: { redirect_root: false } }),
  }),
  "ico-path": option({
    arity: "one",
    metavar: "PATH|none",
    help: 'favicon file, or "none" for no favicon (BOKEH_ICO_PATH)',
    parse: text,
    map: (ico_path) => ({ server: { ico_path } }),
  }),
  resources: option<(typeof RESOURCES)[number]>({
    arity: "one",
    metavar: "server|cdn|inline",
    help: "load BokehJS from this server (default), from cdn.bokeh.org, or inlined into each page (BOKEH_RESOURCES). Pages load only the bundles their document needs; others load when the session gains a model that needs them",
    parse: choice(RESOURCES),
    map: (resources) => ({ server: { resources } }),
  }),
  compress: option<boolean>({
    arity: "one",
    metavar: "yes|no",
    help: "brotli/gzip-compress static files, app pages and autoload.js per Accept-Encoding (default yes; BOKEH_COMPRESS)",
    parse: (raw, flag) => ["yes", "true", "on", "1"].includes(choice(YES_NO)(typeof raw === "string" ? raw.toLowerCase() : raw, flag)),
    map: (compress) => ({ server: { compress } }),
  }),
  "include-headers": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put these request headers into session tokens (by default none go in: the websocket upgrade carries its own)",
    parse: texts,
    map: (include_headers) => ({ server: { include_headers } }),
  }),
  "exclude-headers": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put all request headers but these into session tokens",
    parse: texts,
    map: (exclude_headers) => ({ server: { exclude_headers } }),
  }),
  "include-cookies": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put these cookies into session tokens (by default none)",
    parse: texts,
    map: (include_cookies) => ({ server: { include_cookies } }),
  }),
  "exclude-cookies": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put all cookies but these into session tokens",
    parse: texts,
    map: (exclude_cookies) => ({ server: { exclude_cookies } }),
  }),
  "use-xheaders": option({
    arity: "flag",
    help: "trust X-Real-Ip/X-Forwarded-For and X-Scheme/X-Forwarded-Proto",
    parse: flag,
    map: () => ({ server: { use_xheaders: true } }),
  }),
  "auth-module": option({
    arity: "one",
    metavar: "PATH",
    help: "a .ts/.js module exporting get_user (or get_user_async), login_url (or get_login_url), LoginHandler, logout_url, LogoutHandler (BOKEH_AUTH_MODULE)",
    parse: text,
    map: (auth_module) => ({ settings: { auth_module } }),
  }),
  "enable-xsrf-cookies": option({
    arity: "flag",
    help: "auth endpoints' POST/PUT/DELETE must echo the _xsrf cookie (BOKEH_XSRF_COOKIES)",
    parse: flag,
    map: () => ({ settings: { xsrf_cookies: true } }),
  }),
  "cookie-secret": option({
    arity: "one",
    metavar: "SECRET",
    help: "secret for secure cookies (BOKEH_COOKIE_SECRET)",
    parse: text,
    map: (cookie_secret) => ({ settings: { cookie_secret } }),
  }),
  "log-level": option({ arity: "one", metavar: "LEVEL", help: `${log_levels.join("|")} (default info)`, parse: choice(log_levels) }),
  "log-format": option({ arity: "one", metavar: "FORMAT", help: 'Python logging format (default "%(asctime)s %(message)s")', parse: text }),
  "log-file": option({ arity: "one", metavar: "FILE", help: "append log lines to FILE instead of stderr", parse: text }),
  "use-config": option({
    arity: "one",
    metavar: "FILE",
    help: "a YAML file of Bokeh settings (secret_key, sign_sessions, allowed_ws_origin, ...); options win over it, it wins over the environment (as in Python)",
    parse: text,
  }),
  "stats-log-frequency": option({
    arity: "one",
    metavar: "MS",
    help: "how often to log connection/session counts at debug level (default 15000, 0 = off)",
    parse: integer(0),
    map: (ms) => ({ server: { stats_log_frequency_milliseconds: ms } }),
  }),
  "mem-log-frequency": option({
    arity: "one",
    metavar: "MS",
    help: "how often to log memory use (default 0 = off)",
    parse: integer(0),
    map: (ms) => ({ server: { mem_log_frequency_milliseconds: ms } }),
  }),
  health: option({
    arity: "flag",
    help: "serve health probes: GET /liveness (200 while the process answers) and GET /readiness (200 while it accepts new sessions; 503 while draining or while the session store is unreachable); under --prefix, without authentication",
    parse: flag,
    map: () => ({ server: { health: true } }),
  }),
  "liveness-endpoint": option({
    arity: "one",
    metavar: "PATH",
    help: "path of the liveness probe (default /liveness; implies --health)",
    parse: text,
    map: (liveness_endpoint) => ({ server: { liveness_endpoint } }),
  }),
  "readiness-endpoint": option({
    arity: "one",
    metavar: "PATH",
    help: "path of the readiness probe (default /readiness; implies --health)",
    parse: text,
    map: (readiness_endpoint) => ({ server: { readiness_endpoint } }),
  }),
  metrics: option({
    arity: "flag",
    help: "serve Prometheus metrics at GET /metrics (under --prefix, without authentication): sessions, connections, messages and bytes by type, callback durations, event-loop lag, store writes",
    parse: flag,
    map: () => ({ server: { metrics: true } }),
  }),
  "metrics-endpoint": option({
    arity: "one",
    metavar: "PATH",
    help: "path of the metrics (default /metrics; implies --metrics)",
    parse: text,
    map: (metrics_endpoint) => ({ server: { metrics_endpoint } }),
  }),
  "drain-timeout": option({
    arity: "one",
    metavar: "MS",
    help: "on SIGTERM/SIGINT, drain gracefully: refuse new sessions (503), flush pending updates, save sessions to the session store, close websockets with 1001 so clients reconnect elsewhere; stop after at most MS (default 20000). A second SIGINT stops at once",
    parse: integer(0),
    map: (ms) => ({ server: { drain_timeout_milliseconds: ms } }),
  }),
  show: option({ arity: "flag", help: "open the apps in a browser once the server is up", parse: flag }),
  dev: option({
    arity: "list",
    metavar: "[FILES ...]",
    help: "reload the app when one of its files changes: its script(s) and the local modules they import, a directory app's lifecycle module, templates/, static/ and theme, and FILES (files or folders); one app only, named before --dev (FILES take the arguments after it). Open pages reconnect to the reloaded app; an app that fails to load leaves the previous version running",
    parse: texts,
  }),
  glob: option({ arity: "flag", help: "expand the app arguments as glob patterns", parse: flag }),
  args: option({ arity: "flag", metavar: "...", help: "everything after is passed to the apps as process.argv", parse: flag }),
  help: option({ arity: "flag", alias: "-h", help: "show this help", parse: flag }),
}
