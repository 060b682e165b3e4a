/**
 * The clock session callbacks are scheduled on. The server uses the real one (Node's timers and
 * `performance.now()`); a test kit can hand the server a clock of its own (`ManualClock` in
 * src/testing/) so periodic and timeout callbacks run when the test says, without waiting real time.
 */

/** What `set_timeout`/`set_immediate` return; only ever given back to `clear`. */
export type TimerHandle = object

export interface Scheduler {
  /** Milliseconds on a monotonic clock (only differences matter). */
  now(): number
  /**
   * Calls `fn` once, `ms` milliseconds from now. `fn` may return a promise: a clock that runs
   * callbacks itself (a manual one) waits for it before it runs the next timer.
   */
  set_timeout(fn: () => unknown, ms: number): TimerHandle
  /** Calls `fn` once, as soon as the current work is done (Node: `setImmediate`). */
  set_immediate(fn: () => unknown): TimerHandle
  /** Cancels a timer that has not fired yet; harmless for one that has. */
  clear(handle: TimerHandle): void
}

/** Node's timers. */
export const real_scheduler: Scheduler = {
  now: () => performance.now(),
  set_timeout: (fn, ms) => setTimeout(fn, ms),
  set_immediate: (fn) => setImmediate(fn),
  clear: (handle) => {
    clearTimeout(handle as NodeJS.Timeout)
    clearImmediate(handle as NodeJS.Immediate)
  },
}
