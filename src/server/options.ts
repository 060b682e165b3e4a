/** Options of the server core and `Server`, with `bokeh serve`'s defaults (docs/protocol.md §7.7). */
import type { ResourcesMode } from "../embed/resources.ts"
import type { Settings } from "../settings.ts"
import type { SecretKey } from "../util/token.ts"
import type { AuthProvider } from "./auth_provider.ts"
import type { FaultListener } from "./faults.ts"
import type { Scheduler } from "../util/scheduler.ts"
import type { SessionStore } from "./session_store/types.ts"

export interface ServerOptions {
  /** TCP port; 5006 by default, 0 picks a free one. */
  readonly port?: number
  /** Interface to bind; all interfaces by default. */
  readonly address?: string
  /** Listen on this unix domain socket path instead of a TCP port (not with port/address/SSL). */
  readonly unix_socket?: string
  /** PEM certificate (chain) file: serve https/wss instead of http/ws. */
  readonly ssl_certfile?: string
  /** PEM private key file; if absent the key is read from `ssl_certfile`. */
  readonly ssl_keyfile?: string
  /** Passphrase of an encrypted private key (`BOKEH_SSL_PASSWORD` on the command line). */
  readonly ssl_password?: string
  /** URL prefix for every route but `/favicon.ico` (`"foo"` → `/foo`). */
  readonly prefix?: string
  /** Allowed websocket origins (`host[:port]`, `*` patterns); `localhost:<port>` by default. */
  readonly allow_websocket_origin?: readonly string[]
  /** Keep-alive ping interval; 37000 ms by default, 0 disables. A peer that has not answered a ping when the next is due is closed (4000). */
  readonly keep_alive_milliseconds?: number
  /** How often unused sessions are looked for; 17000 ms by default. */
  readonly check_unused_sessions_milliseconds?: number
  /** How long a session lives without connections; 15000 ms by default. */
  readonly unused_session_lifetime_milliseconds?: number
  /** How often connection/session counts are logged (at debug level); 15000 ms by default, 0 disables. */
  readonly stats_log_frequency_milliseconds?: number
  /** How often memory use is logged (at info level); 0 (off) by default. */
  readonly mem_log_frequency_milliseconds?: number
  /** Lifetime of minted session tokens in seconds; 300 by default. */
  readonly session_token_expiration?: number
  /** Sign session ids and tokens (needs `secret_key`); `BOKEH_SIGN_SESSIONS` by default. */
  readonly sign_sessions?: boolean
  /** The signing key; `BOKEH_SECRET_KEY` by default. */
  readonly secret_key?: SecretKey | null
  /** Generate ids for page requests without `bokeh-session-id` (false = `--session-ids external-signed`). */
  readonly generate_session_ids?: boolean
  /** Largest websocket message (fragment) accepted; 20 MiB by default. */
  readonly websocket_max_message_size?: number
  /**
   * Outgoing bytes a websocket may hold (written but not yet taken by the peer) before the session
   * folds that connection's patches instead of sending them, and stops handling its messages; 8 MiB
   * by default. Memory per slow connection stays within this plus one message.
   */
  readonly websocket_max_buffered_bytes?: number
  /** How long a websocket may stay over `websocket_max_buffered_bytes` before it is closed (1013) so the client reconnects and pulls the document; 30000 ms by default, 0 = never. */
  readonly websocket_stall_timeout_milliseconds?: number
  /** Received messages waiting behind the one being handled before the server stops reading the socket; 8 by default. */
  readonly websocket_max_queued_messages?: number
  /** zlib level (0–9) for permessage-deflate; compression is off unless set (as in Python). */
  readonly websocket_compression_level?: number | null
  /** zlib memLevel (1–9) for permessage-deflate, with `websocket_compression_level`. */
  readonly websocket_compression_mem_level?: number | null
  /** Serve an index at the prefix root listing the apps (true by default). */
  readonly use_index?: boolean
  /** Redirect the root to the only app when there is exactly one (true by default). */
  readonly redirect_root?: boolean
  /** A Jinja template file for the index page instead of the built-in one. */
  readonly index?: string | null
  /** Trust X-Real-Ip / X-Forwarded-For / X-Scheme / X-Forwarded-Proto. */
  readonly use_xheaders?: boolean
  /** Where pages load BokehJS from: this server (default), Bokeh's CDN, or inlined into each page. */
  readonly resources?: ResourcesMode
  /**
   * Compress static files, app pages and autoload.js with brotli or gzip (per Accept-Encoding); on by
   * default, `BOKEH_COMPRESS=no` or `compress: false` turns it off (e.g. behind a proxy that compresses).
   */
  readonly compress?: boolean
  /** An .ico file for `/favicon.ico`, or "none" for 404. */
  readonly ico_path?: string
  /** User authentication hooks (`--auth-module`); none by default. */
  readonly auth_provider?: AuthProvider
  /** Secret for secure cookies (`--cookie-secret`, `BOKEH_COOKIE_SECRET`). */
  readonly cookie_secret?: string | null
  /** Require the `_xsrf` cookie echoed on POST/PUT/DELETE to auth endpoints (`--enable-xsrf-cookies`). */
  readonly xsrf_cookies?: boolean
  /**
   * Request headers for page tokens: none by default (the websocket upgrade carries its own); only
   * these, or all but `exclude_headers`, when given. The same for cookies.
   */
  readonly include_headers?: readonly string[] | null
  readonly exclude_headers?: readonly string[] | null
  readonly include_cookies?: readonly string[] | null
  readonly exclude_cookies?: readonly string[] | null
  /**
   * The largest HTTP header block (request line included) the server's own listener accepts, in bytes:
   * 65536 by default, as Tornado. A websocket upgrade carries the page's query string, cookies and its
   * token, so page tokens that would not fit are refused when minted (431, `BK_ERR_TOKEN_TOO_LARGE`).
   */
  readonly max_header_size?: number
  /** Programmatic only: the clock session callbacks run on (Node's timers by default; AppTest passes a manual one). */
  readonly scheduler?: Scheduler
  /** Programmatic only: called with every failure of app code, besides the log line (e.g. for an error tracker). */
  readonly on_app_fault?: FaultListener
  /**
   * Bokeh settings resolved once (`resolve_settings` in src/settings.ts: option > --use-config file >
   * environment > default); resolved from the environment when the server starts if not given. The
   * options above win over the settings they share a name with, except `allowed_ws_origin`, which
   * replaces `allow_websocket_origin` when set, as in Python.
   */
  readonly settings?: Settings
  /** Serve health probes: GET `liveness_endpoint` (the process answers) and `readiness_endpoint` (it accepts new sessions); off by default. */
  readonly health?: boolean
  /** Path of the liveness probe under the prefix; "/liveness" by default. Setting it turns `health` on. */
  readonly liveness_endpoint?: string
  /** Path of the readiness probe under the prefix (503 while draining or while the session store is unreachable); "/readiness" by default. Setting it turns `health` on. */
  readonly readiness_endpoint?: string
  /** Serve Prometheus metrics at `metrics_endpoint`; off by default. */
  readonly metrics?: boolean
  /** Path of the metrics under the prefix; "/metrics" by default. Setting it turns `metrics` on. */
  readonly metrics_endpoint?: string
  /** How long a graceful drain (SIGTERM, `Server.drain()`) may take before the server stops anyway; 20000 ms by default. */
  readonly drain_timeout_milliseconds?: number
  /**
   * A shared session store (`--session-store redis://host:port/db`, or a `SessionStore`): sessions'
   * states are written there, and a websocket for a session this process does not hold resumes it
   * from there. None by default (sessions live only in this process).
   */
  readonly session_store?: string | SessionStore | null
  /** The largest session state written to the store (JSON plus buffers); 64 MiB by default. */
  readonly session_store_max_bytes?: number
}

export const DEFAULTS = {
  port: 5006,
  keep_alive_milliseconds: 37000,
  check_unused_sessions_milliseconds: 17000,
  unused_session_lifetime_milliseconds: 15000,
  stats_log_frequency_milliseconds: 15000,
  mem_log_frequency_milliseconds: 0,
  session_token_expiration: 300,
  websocket_max_message_size: 20 * 1024 * 1024,
  websocket_max_buffered_bytes: 8 * 1024 * 1024,
  websocket_stall_timeout_milliseconds: 30000,
  websocket_max_queued_messages: 8,
  max_header_size: 64 * 1024,
  liveness_endpoint: "/liveness",
  readiness_endpoint: "/readiness",
  metrics_endpoint: "/metrics",
  drain_timeout_milliseconds: 20000,
  session_store_max_bytes: 64 * 1024 * 1024,
} as const

/** `"foo/"` → `"/foo"`, `""` → `""` (docs/protocol.md §1.2). */
export function normalize_prefix(prefix: string | undefined | null): string {
  const stripped = (prefix ?? "").replace(/^\/+|\/+$/g, "")
  return stripped === "" ? "" : `/${stripped}`
}
