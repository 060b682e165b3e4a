/**
 * `bokeh-ts serve`: runs apps (scripts, notebooks, directories) on a Bokeh server, with the
 * options of `bokeh serve` that apply to bokeh-ts.
 */
import cluster from "node:cluster"

import { Application } from "../../application/application.ts"
import { ConfigError } from "../../core/errors.ts"
import { log, log_levels, set_log_format, set_log_level, set_log_sink, type LogLevel } from "../../util/logging.ts"
import { AuthModule } from "../../server/auth_provider.ts"
import { Server } from "../../server/server.ts"
import { install_fault_handlers } from "../../server/faults.ts"
import type { ServerOptions } from "../../server/options.ts"
import { settings_secret_key } from "../../util/token.ts"
import { DEV_WORKER_ENV, dev_worker_stopped_listening, dev_worker_wait, run_dev } from "../dev.ts"
import { glob } from "../glob.ts"
import { load_config } from "../config_file.ts"
import { file_sink } from "../log_file.ts"
import { run_workers } from "../workers.ts"
import { build_single_handler_applications, check_applications } from "../util.ts"

export const serve_help = `usage: bokeh-ts serve [options] [DIRECTORY-OR-SCRIPT ...] [--args ...]

Run Bokeh applications on a Bokeh server. Each argument is an app: a .ts/.js script, an .ipynb
notebook whose code cells are TypeScript/JavaScript, or a directory with main.ts (plus optional
server_lifecycle.ts or app_hooks.ts, static/, templates/index.html). An app "foo.ts" or "foo/"
is served at /foo. With no arguments an empty app is served at /. Every app is loaded before the
server listens; one that fails to load stops it (a syntax error reads file:line:col: message). Apps
may live in any folder, with or without a package.json, read-only included: nothing is written there.

options:
  --port PORT                       port to listen on (default 5006; 0 picks a free port)
  --address ADDRESS                 address to listen on (default: all interfaces)
  --unix-socket PATH                listen on a unix domain socket instead (not with --port,
                                    --address or SSL; put a TLS proxy in front)
  --ssl-certfile CERTFILE           PEM certificate: serve https/wss (BOKEH_SSL_CERTFILE)
  --ssl-keyfile KEYFILE             PEM private key (BOKEH_SSL_KEYFILE; default: in CERTFILE);
                                    BOKEH_SSL_PASSWORD unlocks an encrypted key
  --num-procs N                     worker processes sharing the port (default 1; 0 = one per
                                    core); a session lives in the worker that created it
                                    (with --session-store it moves to another when needed)
  --allow-websocket-origin HOST[:PORT]
                                    allowed websocket origin (repeatable; default localhost:<port>;
                                    exact host; "*" stands for one whole label or any port, "*"
                                    alone allows all). BOKEH_ALLOW_WS_ORIGIN overrides
  --prefix PREFIX                   URL prefix for every route (except /favicon.ico)
  --keep-alive MS                   websocket keep-alive ping interval (default 37000, 0 = off);
                                    a client that has not answered a ping when the next is due is
                                    closed (code 4000) and BokehJS reconnects
  --check-unused-sessions MS        how often to look for unused sessions (default 17000)
  --unused-session-lifetime MS      how long a session lives without connections (default 15000)
  --session-ids MODE                unsigned | signed | external-signed (default: BOKEH_SIGN_SESSIONS);
                                    signed modes need BOKEH_SECRET_KEY (see "bokeh-ts secret")
  --session-token-expiration S      lifetime of session tokens in seconds (default 300)
  --session-store URL               share sessions through Redis (redis://host:port/db): each
                                    session's state is written there, and a session that arrives
                                    at another server resumes there (docs/sessions.md; not in Python)
  --session-store-max-bytes B       largest session state written to the store (default 67108864)
  --websocket-max-message-size B    largest websocket message in bytes (default 20971520)
  --websocket-max-buffered-bytes B  outgoing bytes a websocket may hold before that client's
                                    updates are folded (newest value per attribute) instead of
                                    queued, and its messages wait (default 8388608; not in Python)
  --websocket-stall-timeout MS      close a websocket over that budget for this long (code 1013);
                                    BokehJS reconnects and pulls the document (default 30000,
                                    0 = never; not in Python)
  --websocket-max-queued-messages N received messages waiting behind the one being handled before
                                    the socket is no longer read (default 8; not in Python)
  --websocket-compression-level L   permessage-deflate with zlib level L (0-9; default: off)
  --websocket-compression-mem-level M
                                    zlib memLevel (1-9) with --websocket-compression-level
  --index PATH                      a Jinja template for the index page
  --disable-index                   no index page at the root
  --disable-index-redirect          list a single app at the root instead of redirecting to it
  --ico-path PATH|none              favicon file, or "none" for no favicon
  --resources server|cdn            load BokehJS from this server (default) or from cdn.bokeh.org
  --include-headers NAME ...        put these request headers into session tokens (by default none
                                    go in: the websocket upgrade carries its own)
  --exclude-headers NAME ...        put all request headers but these into session tokens
  --include-cookies NAME ...        put these cookies into session tokens (by default none)
  --exclude-cookies NAME ...        put all cookies but these into session tokens
  --use-xheaders                    trust X-Real-Ip/X-Forwarded-For and X-Scheme/X-Forwarded-Proto
  --auth-module PATH                a .ts/.js module exporting get_user (or get_user_async),
                                    login_url (or get_login_url), LoginHandler, logout_url,
                                    LogoutHandler (BOKEH_AUTH_MODULE)
  --enable-xsrf-cookies             auth endpoints' POST/PUT/DELETE must echo the _xsrf cookie
                                    (BOKEH_XSRF_COOKIES)
  --cookie-secret SECRET            secret for secure cookies (BOKEH_COOKIE_SECRET)
  --log-level LEVEL                 trace|debug|info|warning|error|critical|none (default info)
  --log-format FORMAT               Python logging format (default "%(asctime)s %(message)s")
  --log-file FILE                   append log lines to FILE instead of stderr
  --use-config FILE                 a YAML file of Bokeh settings (secret_key, sign_sessions,
                                    allowed_ws_origin, ...); the environment and options win
  --stats-log-frequency MS          how often to log connection/session counts at debug level
                                    (default 15000, 0 = off)
  --mem-log-frequency MS            how often to log memory use (default 0 = off)
  --show                            open the apps in a browser once the server is up
  --dev [FILES ...]                 reload the app when one of its files changes: its script(s)
                                    and the local modules they import, a directory app's
                                    lifecycle module, templates/, static/ and theme, and FILES
                                    (files or folders); one app only, named before --dev (FILES
                                    take the arguments after it). Open pages reconnect to the
                                    reloaded app; an app that fails to load leaves the previous
                                    version running
  --glob                            expand the app arguments as glob patterns
  --args ...                        everything after is passed to the apps as process.argv
  -h, --help                        show this help
`

interface ServeArgs {
  files: string[]
  app_argv: string[]
  options: Record<string, string | string[] | boolean>
}

const FLAGS = new Set(["show", "glob", "disable-index", "disable-index-redirect", "use-xheaders", "enable-xsrf-cookies"])
const MULTI = new Set(["allow-websocket-origin", "include-headers", "exclude-headers", "include-cookies", "exclude-cookies", "dev"])
const VALUED = new Set(["use-config", "websocket-compression-level", "websocket-compression-mem-level", "auth-module", "cookie-secret", "port", "address", "unix-socket", "ssl-certfile", "ssl-keyfile", "num-procs", "log-format", "log-file", "stats-log-frequency", "mem-log-frequency", "prefix", "keep-alive", "check-unused-sessions", "unused-session-lifetime", "session-ids", "session-token-expiration", "session-store", "session-store-max-bytes", "websocket-max-message-size", "websocket-max-buffered-bytes", "websocket-stall-timeout", "websocket-max-queued-messages", "index", "ico-path", "resources", "log-level"])
// Options that take a list until the next option: --dev FILES..., --include-headers NAMES...
const LIST = new Set(["include-headers", "exclude-headers", "include-cookies", "exclude-cookies", "dev"])

export function parse_serve_args(argv: readonly string[]): ServeArgs {
  const files: string[] = []
  const options: Record<string, string | string[] | boolean> = {}
  let app_argv: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--args") {
      app_argv = argv.slice(i + 1) as string[]
      break
    }
    if (!arg.startsWith("--")) {
      files.push(arg)
      continue
    }
    let name = arg.slice(2)
    let inline: string | undefined
    const eq = name.indexOf("=")
    if (eq >= 0) {
      inline = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    if (FLAGS.has(name)) {
      options[name] = true
    } else if (LIST.has(name)) {
      const values: string[] = inline !== undefined ? [inline] : []
      while (inline === undefined && i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) values.push(argv[++i]!)
      options[name] = [...((options[name] as string[] | undefined) ?? []), ...values]
    } else if (MULTI.has(name) || VALUED.has(name)) {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new ConfigError("BK_ERR_CONFIG", `--${name} needs a value`)
      if (MULTI.has(name)) options[name] = [...((options[name] as string[] | undefined) ?? []), value]
      else options[name] = value
    } else {
      throw new ConfigError("BK_ERR_CONFIG", `unknown option --${name}; see bokeh-ts serve --help`)
    }
  }
  return { files, app_argv, options }
}

function int_option(options: ServeArgs["options"], name: string, min: number, max = Infinity): number | undefined {
  const raw = options[name]
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError("BK_ERR_CONFIG", `--${name} must be an integer >= ${min}${max < Infinity ? ` and <= ${max}` : ""}, got ${String(raw)}`)
  return n
}

function env(name: string): string | undefined {
  const value = process.env[name]
  return value === undefined || value === "" ? undefined : value
}

/** Server options from parsed arguments. */
export function server_options(args: ServeArgs): ServerOptions {
  const o = args.options
  const session_ids = o["session-ids"] as string | undefined
  if (session_ids !== undefined && !["unsigned", "signed", "external-signed"].includes(session_ids))
    throw new ConfigError("BK_ERR_CONFIG", `--session-ids must be unsigned, signed or external-signed, got ${session_ids}`)
  if (session_ids !== undefined && session_ids !== "unsigned" && (settings_secret_key() ?? "") === "")
    throw new ConfigError("BK_ERR_CONFIG", `--session-ids ${session_ids} needs BOKEH_SECRET_KEY; create one with "bokeh-ts secret"`)
  const resources = o["resources"] as string | undefined
  if (resources !== undefined && resources !== "server" && resources !== "cdn") throw new ConfigError("BK_ERR_CONFIG", `--resources must be server or cdn, got ${resources}`)
  const opts: Record<string, unknown> = {
    port: int_option(o, "port", 0),
    address: o["address"],
    unix_socket: o["unix-socket"],
    ssl_certfile: o["ssl-certfile"] ?? env("BOKEH_SSL_CERTFILE"),
    ssl_keyfile: o["ssl-keyfile"] ?? env("BOKEH_SSL_KEYFILE"),
    ssl_password: env("BOKEH_SSL_PASSWORD"),
    stats_log_frequency_milliseconds: int_option(o, "stats-log-frequency", 0),
    mem_log_frequency_milliseconds: int_option(o, "mem-log-frequency", 0),
    prefix: o["prefix"],
    allow_websocket_origin: o["allow-websocket-origin"],
    keep_alive_milliseconds: int_option(o, "keep-alive", 0),
    check_unused_sessions_milliseconds: int_option(o, "check-unused-sessions", 1),
    unused_session_lifetime_milliseconds: int_option(o, "unused-session-lifetime", 1),
    session_token_expiration: int_option(o, "session-token-expiration", 1),
    session_store: o["session-store"],
    session_store_max_bytes: int_option(o, "session-store-max-bytes", 1),
    websocket_max_message_size: int_option(o, "websocket-max-message-size", 1),
    websocket_max_buffered_bytes: int_option(o, "websocket-max-buffered-bytes", 1),
    websocket_stall_timeout_milliseconds: int_option(o, "websocket-stall-timeout", 0),
    websocket_max_queued_messages: int_option(o, "websocket-max-queued-messages", 1),
    websocket_compression_level: int_option(o, "websocket-compression-level", 0, 9),
    websocket_compression_mem_level: int_option(o, "websocket-compression-mem-level", 1, 9),
    sign_sessions: session_ids === undefined ? undefined : session_ids !== "unsigned",
    generate_session_ids: session_ids === "external-signed" ? false : undefined,
    index: o["index"],
    use_index: o["disable-index"] === true ? false : undefined,
    redirect_root: o["disable-index-redirect"] === true ? false : undefined,
    ico_path: o["ico-path"],
    resources,
    include_headers: o["include-headers"],
    exclude_headers: o["exclude-headers"],
    include_cookies: o["include-cookies"],
    exclude_cookies: o["exclude-cookies"],
    use_xheaders: o["use-xheaders"] === true ? true : undefined,
    cookie_secret: o["cookie-secret"] ?? env("BOKEH_COOKIE_SECRET"),
    xsrf_cookies: o["enable-xsrf-cookies"] === true || ["yes", "true", "1"].includes((env("BOKEH_XSRF_COOKIES") ?? "").toLowerCase()) ? true : undefined,
  }
  for (const key of Object.keys(opts)) if (opts[key] === undefined) delete opts[key]
  if (opts["include_headers"] !== undefined && opts["exclude_headers"] !== undefined) throw new ConfigError("BK_ERR_CONFIG", "use --include-headers or --exclude-headers, not both")
  if (opts["include_cookies"] !== undefined && opts["exclude_cookies"] !== undefined) throw new ConfigError("BK_ERR_CONFIG", "use --include-cookies or --exclude-cookies, not both")
  return opts as ServerOptions
}

/** Runs `bokeh-ts serve`; resolves with the running server (tests stop it), or null in --dev mode. */
export async function serve(argv: readonly string[]): Promise<Server | null> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(serve_help)
    return null
  }
  const args = parse_serve_args(argv)
  const level = (args.options["log-level"] as string | undefined) ?? "info"
  if (!(log_levels as readonly string[]).includes(level)) throw new ConfigError("BK_ERR_CONFIG", `--log-level must be one of ${log_levels.join(", ")}`)
  set_log_level(level as LogLevel)
  const log_format = args.options["log-format"] as string | undefined
  if (log_format !== undefined) set_log_format(log_format)
  const log_file = args.options["log-file"] as string | undefined
  if (log_file !== undefined) set_log_sink(file_sink(log_file))
  const config = args.options["use-config"] as string | undefined
  if (config !== undefined) load_config(config)
  let files = args.files
  if (args.options["glob"] === true) files = files.flatMap((p) => glob(p))
  if (args.options["dev"] !== undefined) {
    if (files.length !== 1) throw new ConfigError("BK_ERR_CONFIG", files.length === 0 ? "--dev needs an app script or directory" : "--dev can only serve one app")
    if (args.options["num-procs"] !== undefined && args.options["num-procs"] !== "1") log.info("Running in --dev mode. --num-procs is limited to 1.")
    run_dev(argv, files[0]!, args.options["dev"] as string[])
    return null
  }
  const auth_module = (args.options["auth-module"] as string | undefined) ?? env("BOKEH_AUTH_MODULE")
  const options: ServerOptions = { ...server_options(args), ...(auth_module !== undefined ? { auth_provider: await AuthModule.load(auth_module) } : {}) }
  // A --dev worker waits, with bokeh-ts loaded, until the primary needs it (see dev.ts).
  if (cluster.isWorker && process.env[DEV_WORKER_ENV] === "1") await dev_worker_wait()
  const num_procs = int_option(args.options, "num-procs", 0) ?? 1
  if (num_procs !== 1 && cluster.isPrimary) {
    run_workers(argv, num_procs)
    return null
  }
  // An app's stray failure (a promise nobody awaits, a throw from a timer) is logged with its session
  // and never ends the server.
  install_fault_handlers()
  const apps = files.length === 0 ? { "/": new Application() } : build_single_handler_applications(files, args.app_argv)
  await check_applications(apps)
  const server = new Server(apps, options)
  await server.start()
  if (args.options["show"] === true) for (const route of Object.keys(apps)) server.show(route)
  const dev_worker = cluster.isWorker && process.env[DEV_WORKER_ENV] === "1"
  const shutdown = () => {
    log.info("Shutting down")
    if (dev_worker) dev_worker_stopped_listening(server)
    void server.stop().then(() => process.exit(0))
  }
  process.once("SIGINT", shutdown)
  process.once("SIGTERM", shutdown)
  return server
}
