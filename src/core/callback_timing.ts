/**
 * Where app callbacks report how long they ran, for the server's metrics. Off (null) unless a server
 * with metrics is running, so the hot paths that run callbacks pay one null check. The observer is
 * process-wide: callback durations are a property of the process, like event-loop lag.
 */
import { is_thenable } from "./app_context.ts"

/** Which kind of app code ran: session callbacks, `on_change` callbacks, `on_event`/`on_message` handlers. */
export type CallbackKind = "periodic" | "timeout" | "next_tick" | "on_change" | "event"

export type CallbackObserver = (kind: CallbackKind, seconds: number) => void

let observer: CallbackObserver | null = null

/** The current observer; callers skip timing entirely when it is null. */
export function callback_observer(): CallbackObserver | null {
  return observer
}

/** Installs (or with null removes) the process's callback observer. */
export function set_callback_observer(o: CallbackObserver | null): void {
  observer = o
}

/** Reports a callback started at `started` (performance.now()) once `result` settles (at once if it is no promise). */
export function observe_callback(o: CallbackObserver, kind: CallbackKind, started: number, result: unknown): void {
  if (!is_thenable(result)) {
    o(kind, (performance.now() - started) / 1000)
    return
  }
  const done = () => o(kind, (performance.now() - started) / 1000)
  result.then(done, done)
}
