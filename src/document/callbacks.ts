/**
 * Session callbacks (Python's `bokeh.server.callbacks`): periodic, timeout and next-tick callbacks that a
 * document registers and a server session runs. Outside a server they can be started by hand.
 * A periodic callback never overlaps itself: the next run waits for an async run to finish.
 */
import { make_id } from "../core/ids.ts"

export type Callback = () => unknown

/** How a callback is run: a server session wraps it with the document lock, curdoc and logging. */
export type CallbackRunner = (callback: SessionCallback) => Promise<void>

const direct_runner: CallbackRunner = async (cb) => {
  await cb.callback()
}

export abstract class SessionCallback {
  readonly id: string = make_id()
  /** @internal set by the server session that schedules this callback */
  _runner: CallbackRunner = direct_runner
  protected _timer: NodeJS.Timeout | NodeJS.Immediate | null = null
  protected _stopped = true

  constructor(readonly callback: Callback) {}

  get is_running(): boolean {
    return !this._stopped
  }

  /** Starts scheduling this callback. */
  abstract start(): void

  /** Stops scheduling it; a run in progress completes. */
  stop(): void {
    this._stopped = true
    if (this._timer !== null) {
      clearTimeout(this._timer as NodeJS.Timeout)
      clearImmediate(this._timer as NodeJS.Immediate)
      this._timer = null
    }
  }

  protected async _run(): Promise<void> {
    await this._runner(this)
  }
}

/** Runs `callback` every `period` milliseconds (first run one period after start). */
export class PeriodicCallback extends SessionCallback {
  constructor(callback: Callback, readonly period: number) {
    super(callback)
  }

  /** The deadline of the next run on the fixed grid start + k·period (performance.now() time). */
  private _next = 0

  start(): void {
    if (!this._stopped) return
    this._stopped = false
    this._next = performance.now() + this.period
    this._schedule()
  }

  private _schedule(): void {
    this._timer = setTimeout(async () => {
      this._timer = null
      if (this._stopped) return
      await this._run()
      if (this._stopped) return
      // As Tornado's PeriodicCallback: runs stay on a fixed grid, so timer lateness does not add
      // up; ticks missed during a long run are skipped, not run back to back.
      const now = performance.now()
      this._next += this.period
      if (this._next <= now) this._next += (Math.floor((now - this._next) / this.period) + 1) * this.period
      this._schedule()
    }, Math.max(0, this._next - performance.now()))
  }
}

/** A callback that runs once; it leaves its document (`on_done`) just before it runs. */
abstract class OneShotCallback extends SessionCallback {
  constructor(callback: Callback, private readonly on_done: () => void) {
    super(callback)
  }

  /** Arranges for `fire` to be called once (a timer, an immediate). */
  protected abstract schedule(fire: () => void): NodeJS.Timeout | NodeJS.Immediate

  start(): void {
    if (!this._stopped) return
    this._stopped = false
    this._timer = this.schedule(async () => {
      this._timer = null
      this._stopped = true
      this.on_done()
      await this._run()
    })
  }
}

/** Runs `callback` once, `timeout` milliseconds after start. */
export class TimeoutCallback extends OneShotCallback {
  constructor(callback: Callback, readonly timeout: number, on_done: () => void = () => {}) {
    super(callback, on_done)
  }

  protected schedule(fire: () => void): NodeJS.Timeout {
    return setTimeout(fire, this.timeout)
  }
}

/** Runs `callback` once, on the next turn of the event loop. */
export class NextTickCallback extends OneShotCallback {
  constructor(callback: Callback, on_done: () => void = () => {}) {
    super(callback, on_done)
  }

  protected schedule(fire: () => void): NodeJS.Immediate {
    return setImmediate(fire)
  }
}
