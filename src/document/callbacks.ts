/**
 * Session callbacks (Python's `bokeh.server.callbacks`): periodic, timeout and next-tick callbacks that a
 * document registers and a server session runs. Outside a server they can be started by hand.
 * A periodic callback never overlaps itself: the next run waits for an async run to finish, and a
 * failed run is reported (see core/app_context.ts) without stopping the next ones, as in Tornado.
 */
import { await_app, report_fault } from "../core/app_context.ts"
import { make_id } from "../core/ids.ts"
import { real_scheduler, type Scheduler, type TimerHandle } from "../util/scheduler.ts"

export type Callback = () => unknown

/** How a callback is run: a server session wraps it with the document lock, curdoc and its fault reporting. */
export type CallbackRunner = (callback: SessionCallback) => Promise<void>

const direct_runner: CallbackRunner = async (cb) => {
  await await_app(
    () => cb.description,
    () => cb.callback(),
  )
}

export abstract class SessionCallback {
  readonly id: string = make_id()
  /** @internal set by the server session that schedules this callback */
  _runner: CallbackRunner = direct_runner
  /** @internal the clock it is scheduled on (a server session may hand it a test clock) */
  _scheduler: Scheduler = real_scheduler
  protected _timer: TimerHandle | null = null
  protected _stopped = true

  constructor(readonly callback: Callback) {}

  /** Names the callback in log lines: "periodic callback tick (every 500 ms) p1234". */
  abstract get description(): string

  /** The app function's name, for descriptions. */
  protected get _name(): string {
    return this.callback.name || "(anonymous)"
  }

  get is_running(): boolean {
    return !this._stopped
  }

  /** Starts scheduling this callback. */
  abstract start(): void

  /** Stops scheduling it; a run in progress completes. */
  stop(): void {
    this._stopped = true
    if (this._timer !== null) {
      this._scheduler.clear(this._timer)
      this._timer = null
    }
  }

  /** Runs the callback once; never rejects (a runner that fails despite its own handling is reported here). */
  protected async _run(): Promise<void> {
    try {
      await this._runner(this)
    } catch (error) {
      report_fault(error, this.description)
    }
  }
}

/** Runs `callback` every `period` milliseconds (first run one period after start). */
export class PeriodicCallback extends SessionCallback {
  constructor(
    callback: Callback,
    readonly period: number,
  ) {
    super(callback)
  }

  get description(): string {
    return `periodic callback ${this._name} (every ${this.period} ms) ${this.id}`
  }

  /** The deadline of the next run on the fixed grid start + k·period (the scheduler's time). */
  private _next = 0

  start(): void {
    if (!this._stopped) return
    this._stopped = false
    this._next = this._scheduler.now() + this.period
    this._schedule()
  }

  private _schedule(): void {
    this._timer = this._scheduler.set_timeout(
      async () => {
        this._timer = null
        if (this._stopped) return
        await this._run()
        if (this._stopped) return
        // As Tornado's PeriodicCallback: runs stay on a fixed grid, so timer lateness does not add
        // up; ticks missed during a long run are skipped, not run back to back.
        this._next = next_grid_deadline(this._next, this.period, this._scheduler.now())
        this._schedule()
      },
      Math.max(0, this._next - this._scheduler.now()),
    )
  }
}

/**
 * The deadline after `deadline` on the grid of `period`, once a run ended at `now`: the next grid point,
 * or, when the run overran it, the first grid point still ahead (missed ticks are skipped).
 */
export function next_grid_deadline(deadline: number, period: number, now: number): number {
  const next = deadline + period
  return next > now ? next : next + (Math.floor((now - next) / period) + 1) * period
}

/** A callback that runs once; it leaves its document (`on_done`) just before it runs. */
abstract class OneShotCallback extends SessionCallback {
  constructor(
    callback: Callback,
    private readonly on_done: () => void,
  ) {
    super(callback)
  }

  /** Arranges for `fire` to be called once (a timer, an immediate); `fire`'s promise ends the run. */
  protected abstract schedule(fire: () => Promise<void>): TimerHandle

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
  constructor(
    callback: Callback,
    readonly timeout: number,
    on_done: () => void = () => {},
  ) {
    super(callback, on_done)
  }

  get description(): string {
    return `timeout callback ${this._name} (after ${this.timeout} ms) ${this.id}`
  }

  protected schedule(fire: () => Promise<void>): TimerHandle {
    return this._scheduler.set_timeout(fire, this.timeout)
  }
}

/** Runs `callback` once, on the next turn of the event loop. */
export class NextTickCallback extends OneShotCallback {
  constructor(callback: Callback, on_done: () => void = () => {}) {
    super(callback, on_done)
  }

  get description(): string {
    return `next tick callback ${this._name} ${this.id}`
  }

  protected schedule(fire: () => Promise<void>): TimerHandle {
    return this._scheduler.set_immediate(fire)
  }
}
