/**
 * Every option of `bokeh-ts serve`, spelled once (grouped by concern in ./serve_options/). `--help`, parsing and the typed `ServerOptions` all
 * come from this table (see ../option_table.ts for the arities and parsers).
 *
 * To add an option, add one entry to the group file where it belongs in --help:
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
import { flag, texts } from "../option_table.ts"
import { NETWORK_OPTIONS } from "./serve_options/network.ts"
import { OPERATION_OPTIONS } from "./serve_options/operations.ts"
import { option } from "./serve_options/option.ts"
import { PAGE_OPTIONS } from "./serve_options/pages.ts"
import { SECURITY_OPTIONS } from "./serve_options/security.ts"
import { SESSION_OPTIONS } from "./serve_options/sessions.ts"
import { WEBSOCKET_OPTIONS } from "./serve_options/websocket.ts"

export { SESSION_ID_MODES, type ServeMapping } from "./serve_options/option.ts"

/** In --help order. */
export const SERVE_OPTIONS = {
  ...NETWORK_OPTIONS,
  ...SESSION_OPTIONS,
  ...WEBSOCKET_OPTIONS,
  ...PAGE_OPTIONS,
  ...SECURITY_OPTIONS,
  ...OPERATION_OPTIONS,
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
