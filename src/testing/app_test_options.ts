/** How an AppTest's request, app and server are set up (`AppTest.from_file(path, options)` and friends). */
import type { ServerOptions } from "../server/options.ts"

export interface AppTestOptions {
  /** Request arguments the app sees in `session_context.request.arguments` (`{N: "10"}`, `{tag: ["a", "b"]}`). */
  readonly arguments?: Readonly<Record<string, string | readonly string[]>>
  /** Headers of the browser's websocket request (`session_context.request.headers`). */
  readonly headers?: Readonly<Record<string, string>>
  /** Cookies of the browser's request (`session_context.request.cookies`). */
  readonly cookies?: Readonly<Record<string, string>>
  /** A script or directory app's command line arguments (`process.argv` after the file, as `serve --args`). */
  readonly argv?: readonly string[]
  /**
   * Whether a step whose app code failed throws `AppCallbackError` (default true). With false, failures
   * are only collected in `errors`.
   */
  readonly raise_errors?: boolean
  /**
   * Whether the server's log lines for this test also go to the log as usual (false by default: they are
   * kept in `logs`, and failures are thrown by the steps).
   */
  readonly print_logs?: boolean
  /** Server options, for the rare test that needs one (the defaults: no keep-alive pings, unsigned sessions). */
  readonly server?: ServerOptions
}
