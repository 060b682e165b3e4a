/**
 * Where an app's failures go on the server: one log line per failure naming what the server was
 * doing, the session, the failing callback and the error, followed by the stack (which names the
 * app's file and line), in the spirit of Python's `error handling message` / Tornado's
 * `Exception in callback` lines:
 *
 *   error handling message PATCH-DOC in session 'Xy…': on_change('value') callback update of Slider(id="p1"): TypeError("boom")
 *   TypeError: boom
 *       at update (/srv/app/main.ts:13:9)
 *
 * Failures that escape every handler (a rejected promise nobody awaits, an exception thrown from a
 * timer) reach the process-level handlers, which attribute them to the session whose code started
 * them (the app context follows the code through awaits and timers) and keep the server running.
 */
import { app_context, app_stack, error_repr, type FaultSink } from "../core/app_context.ts"
import { log } from "../util/logging.ts"
import { repr } from "../util/repr.ts"

/** One failure of app code, as a fault sink received it. */
export interface AppFault {
  readonly error: unknown
  /** The failing app code: "on_change('value') callback update of Slider(id=…)". */
  readonly where: string
  /** What the server was doing: "handling message PATCH-DOC", "running callback", … */
  readonly during: string
  /** The session whose code failed, or null for an app's server-wide code (lifecycle hooks). */
  readonly session_id: string | null
}

/** Hears of every app failure besides the log (a test kit, an error tracker); must not throw. */
export type FaultListener = (fault: AppFault) => void

/** A session's fault sink: logs each failure with the session id and counts them. */
export class SessionFaults implements FaultSink {
  private _count = 0

  constructor(
    readonly session_id: string,
    private readonly _listener: FaultListener | null = null,
  ) {}

  /** How many failures this session's app code has had. */
  get count(): number {
    return this._count
  }

  report(error: unknown, where: string, during: string): void {
    this._count += 1
    log.error(`error ${during} in session ${repr(this.session_id)}: ${where}: ${error_repr(error)}\n${app_stack(error)}`)
    this._listener?.({ error, where, during, session_id: this.session_id })
  }
}

/** The fault sink of an application's server-wide code (`on_server_loaded` and what it starts). */
export class AppFaults implements FaultSink {
  constructor(
    readonly url: string,
    private readonly _listener: FaultListener | null = null,
  ) {}

  report(error: unknown, where: string, during: string): void {
    log.error(`error ${during} of app '${this.url}': ${where}: ${error_repr(error)}\n${app_stack(error)}`)
    this._listener?.({ error, where, during, session_id: null })
  }
}

let installed: (() => void) | null = null

/**
 * Catches unhandled promise rejections and uncaught exceptions for the whole process: each is logged,
 * attributed to its session (or app) when app code started it, and the process keeps running, as
 * Tornado's IOLoop does for Python's server. `bokeh-ts serve` installs this; a program embedding
 * `Server` may call it too. Returns a function that removes the handlers.
 */
export function install_fault_handlers(): () => void {
  if (installed !== null) return installed
  const on_rejection = (reason: unknown) => report_escaped(reason, "unhandled promise rejection")
  const on_exception = (error: unknown) => report_escaped(error, "uncaught exception")
  process.on("unhandledRejection", on_rejection)
  process.on("uncaughtException", on_exception)
  installed = () => {
    process.off("unhandledRejection", on_rejection)
    process.off("uncaughtException", on_exception)
    installed = null
  }
  return installed
}

function report_escaped(error: unknown, what: string): void {
  // Node runs these handlers in the async context of the failed code, so this is the app's context.
  const context = app_context()
  try {
    if (context?.faults != null) context.faults.report(error, what, context.during)
    else log.error(`${what} outside any session: ${error_repr(error)}\n${app_stack(error)}`)
  } catch {
    // Logging itself failed (e.g. a closed log file): never let the handler end the process.
  }
}
