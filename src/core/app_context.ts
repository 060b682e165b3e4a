/**
 * The async context app code runs in (one AsyncLocalStorage): the document `curdoc()` returns, where
 * the app's failures are reported (its session's log), and the promises the current server operation
 * must await before it ends.
 *
 * Everything that runs app code (property and document callbacks, UI event and message handlers,
 * session callbacks, lifecycle hooks) goes through `call_app` or `await_app`: a callback that throws
 * or whose promise rejects is reported with its session and never reaches the code that triggered
 * it, so one failing callback can't abort a patch half-way or end the process. Because the context
 * follows the code through awaits, timers and promise chains, a failure that escapes every handler
 * (a promise nobody awaits) can still be attributed to its session at the process level.
 */
import { AsyncLocalStorage } from "node:async_hooks"
import { fileURLToPath } from "node:url"

import { OWN_DIR } from "./package_paths.ts"

/** Where failures of app code go. */
export interface FaultSink {
  /**
   * Reports `error`, thrown by the app code named `where` (e.g. "on_change('value') of Slider(id=…)"),
   * while the server was `during` something (e.g. "handling message PATCH-DOC").
   */
  report(error: unknown, where: string, during: string): void
}

export interface AppContext {
  /** What `curdoc()` returns: a Document, or the proxy `without_document_lock` callbacks get. */
  readonly document: unknown
  /** Where failures go; null outside a server (the fallback sink logs them). */
  readonly faults: FaultSink | null
  /** What the server is doing for the app, for log lines: "handling message PATCH-DOC", "running callback", … */
  readonly during: string
  /** Promises of callbacks started in this context that the current operation awaits before it ends. */
  readonly tasks: TaskGroup | null
  /** The document lock the running operation holds (so code inside it can't deadlock waiting for it). */
  readonly lock: LockHold | null
}

/** A lock held by one operation; `held` turns false when the operation ends (code it started may outlive it). */
export interface LockHold {
  readonly owner: unknown
  held: boolean
}

const storage = new AsyncLocalStorage<AppContext>()

let fallback: FaultSink = {
  report(error, where, during) {
    process.stderr.write(`error ${during}: ${where} failed\n${describe_error(error)}\n`)
  },
}

/** Sets where failures of app code outside any session go (the server log, once logging is loaded). */
export function set_fallback_fault_sink(sink: FaultSink): void {
  fallback = sink
}

/** The context of the running code, if it runs app code or was started by it. */
export function app_context(): AppContext | undefined {
  return storage.getStore()
}

/** Runs `fn` (and everything it awaits or schedules) in the current context changed by `changes`. */
export function with_app_context<T>(changes: Partial<AppContext>, fn: () => T): T {
  const current = storage.getStore()
  const context: AppContext = {
    document: "document" in changes ? changes.document : current?.document,
    faults: changes.faults !== undefined ? changes.faults : (current?.faults ?? null),
    during: changes.during ?? current?.during ?? "running callback",
    tasks: changes.tasks !== undefined ? changes.tasks : (current?.tasks ?? null),
    lock: changes.lock !== undefined ? changes.lock : (current?.lock ?? null),
  }
  return storage.run(context, fn)
}

/** Reports a failure of app code to the sink of `context` (or the fallback) and to its task group. */
export function report_fault(error: unknown, where: string, context: AppContext | undefined = storage.getStore()): void {
  context?.tasks?.failures.push(error)
  try {
    ;(context?.faults ?? fallback).report(error, where, context?.during ?? "running callback")
  } catch {
    fallback.report(error, where, context?.during ?? "running callback")
  }
}

/** Promises started by app callbacks during one operation; the operation awaits them before it ends. */
export class TaskGroup {
  private readonly _pending = new Set<Promise<void>>()
  /** Failures reported in this group's context (already reported to the sink). */
  readonly failures: unknown[] = []

  /** Tracks a promise; its rejection (if any) is recorded as a failure. */
  add(task: Promise<unknown>): void {
    const settled = task.then(
      () => {},
      (error: unknown) => {
        this.failures.push(error)
      },
    )
    this._pending.add(settled)
    void settled.then(() => this._pending.delete(settled))
  }

  /** Resolves once every tracked promise, including ones added meanwhile, has settled; never rejects. */
  async settle(): Promise<void> {
    while (this._pending.size > 0) await Promise.all([...this._pending])
  }
}

/**
 * Calls app callback `fn(arg)` without letting it fail the caller: a throw is reported at once; a
 * returned promise is tracked by the current task group (so the operation awaits it) and its rejection
 * is reported. `where(fn)` names the callback for the log and is only built on failure (no closure is
 * allocated per call: this runs for every change event).
 */
export function call_app<A>(where: (fn: (arg: A) => unknown) => string, fn: (arg: A) => unknown, arg: A): void {
  let result: unknown
  try {
    result = fn(arg)
  } catch (error) {
    report_fault(error, where(fn))
    return
  }
  if (is_thenable(result)) track_app_result(result, () => where(fn))
}

/** What `call_app` does with a callback's promise: the operation awaits it, a rejection is reported. */
export function track_app_result(result: PromiseLike<unknown>, where: () => string): void {
  const context = storage.getStore()
  const task = Promise.resolve(result).then(
    () => {},
    (error: unknown) => report_fault(error, where(), context),
  )
  context?.tasks?.add(task)
}

/** Calls app callback `fn` and awaits it; a throw or rejection is reported, never rethrown. True if it succeeded. */
export async function await_app(where: () => string, fn: () => unknown): Promise<boolean> {
  const context = storage.getStore()
  try {
    await fn()
    return true
  } catch (error) {
    report_fault(error, where(), context)
    return false
  }
}

export function is_thenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function"
}

/** An error's stack (which names the app's file and line), or its text. */
export function describe_error(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`
  return `non-error value thrown: ${safe_string(error)}`
}

const THIS_FILE = fileURLToPath(import.meta.url)
// bokeh-ts's own folder (src/ or dist/), wherever this module's code sits in it.
const SRC_DIR = OWN_DIR
const NODE_INTERNAL = /\(node:[^)]*\)$|at node:/

/**
 * An error's stack as far as the app is concerned: the frames from the throw down to the app's
 * callback, without the server frames that called it (`call_app`/`await_app` and the wrappers above
 * them), which are the same for every failure and would bury the app's file and line.
 */
export function app_stack(error: unknown): string {
  if (!(error instanceof Error) || error.stack === undefined) return describe_error(error)
  const lines = error.stack.split("\n")
  const runner = lines.findIndex((l) => /^\s+at /.test(l) && frame_in(l, THIS_FILE))
  if (runner === -1) return error.stack
  let end = runner
  while (end > 1 && /^\s+at /.test(lines[end - 1]!) && (frame_in(lines[end - 1]!, SRC_DIR) || NODE_INTERNAL.test(lines[end - 1]!))) end--
  return lines.slice(0, end).join("\n")
}

function frame_in(line: string, path: string): boolean {
  return line.includes(path) || line.includes(`file://${path}`)
}

/** Python's repr of an exception, for one-line summaries: `TypeError('boom')`. */
export function error_repr(error: unknown): string {
  if (error instanceof Error) return `${error.name}(${JSON.stringify(error.message)})`
  return safe_string(error)
}

function safe_string(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}
