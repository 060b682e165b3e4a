/**
 * What went wrong while an AppTest ran: failures of app code (from the server core's fault sink, and
 * from log lines of failures that don't pass through it), errors the browser saw, and which of them the
 * test's steps have thrown already.
 */
import type { BokehError } from "../core/errors.ts"
import type { AppFault } from "../server/faults.ts"
import type { LogEntry } from "../util/logging.ts"
import { AppCallbackError, app_error, type AppError } from "./app_errors.ts"

export class AppFailures {
  /** Every failure of app code so far, in order. */
  readonly errors: AppError[] = []
  /** Every server log line (info and above) written for the test. */
  readonly log_entries: LogEntry[] = []
  /** Errors the client saw: the server rejecting a change, a server patch that would not apply. */
  private readonly _client_errors: BokehError[] = []
  /** How many of `errors` a step has thrown already. */
  private _reported = 0

  /** `raise_errors`: whether failures are thrown, or only collected. */
  constructor(private readonly _raise: boolean) {}

  /** App code failed (the core's fault sink). */
  fault(fault: AppFault): void {
    this.errors.push(app_error(fault.error, fault.where, fault.during))
  }

  /** A browser saw `error`. */
  client_error(error: BokehError): void {
    this._client_errors.push(error)
  }

  /** Where a step starts, for `raise_client_error`. */
  get client_errors_seen(): number {
    return this._client_errors.length
  }

  log(entry: LogEntry): void {
    this.log_entries.push(entry)
    // Failures the server logs with their error but not through a session's fault sink: the app's
    // script throwing while it builds a session's document, a session that could not be created.
    if ((entry.level === "error" || entry.level === "critical") && entry.error instanceof Error) {
      const where = entry.message.split("\n")[0]!
      this.errors.push(
        app_error(
          entry.error,
          where,
          /^Error running application handler|^could not create session/.test(where) ? "creating the session" : "serving the session",
        ),
      )
    }
  }

  /** Throws the failures no step has thrown yet (those of this step, and any that came after the last one). */
  raise_unreported(step: string): void {
    const failed = this.errors.slice(this._reported)
    this._reported = this.errors.length
    if (failed.length > 0 && this._raise) throw new AppCallbackError(failed, step)
  }

  /** Throws the first error a browser saw since `since` (a `client_errors_seen`). */
  raise_client_error(since: number): void {
    const refused = this._client_errors.slice(since)
    if (refused.length > 0) throw refused[0]!
  }
}
