/**
 * `bokeh-ts serve`: runs apps (scripts, notebooks, directories) on a Bokeh server, with the
 * options of `bokeh serve` that apply to bokeh-ts.
 */
import cluster from "node:cluster"

import { Application } from "../../application/application.ts"
import { CliError } from "../../core/errors.ts"
import { log, set_log_format, set_log_level, set_log_sink } from "../../util/logging.ts"
import { AuthModule } from "../../server/auth_provider.ts"
import { Server } from "../../server/server.ts"
import { install_fault_handlers } from "../../server/faults.ts"
import { DEFAULTS, type ServerOptions } from "../../server/options.ts"
import { stop_on_signals } from "../shutdown.ts"
import { resolve_settings, type ExplicitSettings, type SettingsLayers } from "../../settings.ts"
import { dev_worker_stopped_listening, dev_worker_wait, is_dev_worker, run_dev } from "../dev.ts"
import { glob } from "../glob.ts"
import { load_config } from "../config_file.ts"
import { file_sink } from "../log_file.ts"
import { run_workers } from "../workers.ts"
import { build_single_handler_applications, check_applications } from "../util.ts"
import { mapped_values, option_value, options_help, parse_args, type ParsedArgs } from "../option_table.ts"
import { SERVE_OPTIONS } from "./serve_options.ts"

const usage = `usage: bokeh-ts serve [options] [DIRECTORY-OR-SCRIPT ...] [--args ...]

Run Bokeh applications on a Bokeh server. Each argument is an app: a .ts/.js script, an .ipynb
notebook whose code cells are TypeScript/JavaScript, or a directory with main.ts (plus optional
server_lifecycle.ts or app_hooks.ts, static/, templates/index.html). An app "foo.ts" or "foo/"
is served at /foo. With no arguments an empty app is served at /. Every app is loaded before the
server listens; one that fails to load stops it (a syntax error reads file:line:col: message). Apps
may live in any folder, with or without a package.json, read-only included: nothing is written there.

options:
`

/** `bokeh-ts serve --help`: the usage above and every option of the table (serve_options.ts). */
export const serve_help = usage + options_help(SERVE_OPTIONS)

/** Splits the command line by the option table (serve_options.ts). */
export function parse_serve_args(argv: readonly string[]): ParsedArgs {
  return parse_args(SERVE_OPTIONS, argv, "serve")
}

/** The typed value of a serve option, or undefined when it was not given. */
function value<K extends keyof typeof SERVE_OPTIONS & string>(args: ParsedArgs, name: K) {
  return option_value(SERVE_OPTIONS, args, name)
}

/** Checks that involve several options, once every option is known to be valid on its own. */
function check_server_options(options: ServerOptions): void {
  if (options.include_headers !== undefined && options.exclude_headers !== undefined)
    throw new CliError("BK_ERR_CLI", "use --include-headers or --exclude-headers, not both")
  if (options.include_cookies !== undefined && options.exclude_cookies !== undefined)
    throw new CliError("BK_ERR_CLI", "use --include-cookies or --exclude-cookies, not both")
  if (options.sign_sessions === true && (options.secret_key ?? "") === "")
    throw new CliError(
      "BK_ERR_CLI",
      `--session-ids ${options.generate_session_ids === false ? "external-signed" : "signed"} needs BOKEH_SECRET_KEY; create one with "bokeh-ts secret"`,
    )
}

/**
 * Server options from parsed arguments: what each given option maps to (serve_options.ts), with the
 * Bokeh settings resolved once from those options, `layers.config` (a --use-config file) and
 * `layers.env` (default: process.env), and handed to the server.
 */
export function server_options(args: ParsedArgs, layers: Omit<SettingsLayers, "explicit"> = {}): ServerOptions {
  const mapped = mapped_values(SERVE_OPTIONS, args)
  const explicit: ExplicitSettings = Object.assign({}, ...mapped.map((m) => m.settings ?? {}))
  const settings = resolve_settings({ ...layers, explicit })
  // The settings `bokeh serve` hands its server (Python reads them in the serve command, not in the server).
  const from_settings: ServerOptions = {
    ...(settings.ssl_certfile !== null ? { ssl_certfile: settings.ssl_certfile } : {}),
    ...(settings.ssl_keyfile !== null ? { ssl_keyfile: settings.ssl_keyfile } : {}),
    ...(settings.ssl_password !== null ? { ssl_password: settings.ssl_password } : {}),
    ...(settings.cookie_secret !== null ? { cookie_secret: settings.cookie_secret } : {}),
    ...(settings.xsrf_cookies ? { xsrf_cookies: true } : {}),
    ...(explicit.sign_sessions !== undefined ? { sign_sessions: settings.sign_sessions, secret_key: settings.secret_key } : {}),
  }
  const options: ServerOptions = Object.assign({}, from_settings, ...mapped.map((m) => m.server ?? {}), { settings })
  check_server_options(options)
  return options
}

/** Runs `bokeh-ts serve`; resolves with the running server (tests stop it), or null in --dev mode. */
export async function serve(argv: readonly string[]): Promise<Server | null> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(serve_help)
    return null
  }
  const args = parse_serve_args(argv)
  set_log_level(value(args, "log-level") ?? "info")
  const log_format = value(args, "log-format")
  if (log_format !== undefined) set_log_format(log_format)
  const log_file = value(args, "log-file")
  if (log_file !== undefined) set_log_sink(file_sink(log_file))
  const config_path = value(args, "use-config")
  const config = config_path !== undefined ? load_config(config_path) : undefined
  let files = args.files
  if (value(args, "glob") === true) files = files.flatMap((p) => glob(p))
  const dev = value(args, "dev")
  const num_procs = value(args, "num-procs") ?? 1
  if (dev !== undefined) {
    if (files.length !== 1) throw new CliError("BK_ERR_CLI", files.length === 0 ? "--dev needs an app script or directory" : "--dev can only serve one app")
    if (num_procs !== 1) log.info("Running in --dev mode. --num-procs is limited to 1.")
    run_dev(argv, files[0]!, [...dev])
    return null
  }
  const base = server_options(args, config !== undefined ? { config } : {})
  const auth_module = base.settings?.auth_module ?? null
  const options: ServerOptions = { ...base, ...(auth_module !== null ? { auth_provider: await AuthModule.load(auth_module) } : {}) }
  // A --dev worker waits, with bokeh-ts loaded, until the primary needs it (see dev.ts).
  if (is_dev_worker()) await dev_worker_wait()
  if (num_procs !== 1 && cluster.isPrimary) {
    run_workers(argv, num_procs, options.drain_timeout_milliseconds ?? DEFAULTS.drain_timeout_milliseconds)
    return null
  }
  // An app's stray failure (a promise nobody awaits, a throw from a timer) is logged with its session
  // and never ends the server.
  install_fault_handlers()
  const apps = files.length === 0 ? { "/": new Application() } : build_single_handler_applications(files, args.app_argv)
  await check_applications(apps)
  const server = new Server(apps, options)
  await server.start()
  if (value(args, "show") === true) for (const route of Object.keys(apps)) server.show(route)
  if (is_dev_worker()) {
    const shutdown = () => {
      log.info("Shutting down")
      dev_worker_stopped_listening(server)
      void server.stop().then(() => process.exit(0))
    }
    process.once("SIGINT", shutdown)
    process.once("SIGTERM", shutdown)
  } else {
    stop_on_signals(server)
  }
  return server
}
