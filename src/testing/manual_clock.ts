/**
 * A clock that only moves when told to: the `Scheduler` AppTest hands the server, so periodic, timeout
 * and next-tick callbacks run on `advance(ms)` in deadline order, without waiting real time. Each timer's
 * function is awaited before the next runs (a session callback's timer returns the promise of its run,
 * lock and patches included), so a periodic callback reschedules itself before the clock looks for the
 * next deadline, exactly as it does on Node's timers.
 */
import type { Scheduler, TimerHandle } from "../util/scheduler.ts"

class ManualTimer {
  constructor(
    readonly due: number,
    readonly seq: number,
    readonly fn: () => unknown,
  ) {}
}

export class ManualClock implements Scheduler {
  private _now = 0
  private _seq = 0
  private readonly _timers = new Set<ManualTimer>()

  /** Milliseconds since the clock was made (it starts at 0). */
  now(): number {
    return this._now
  }

  set_timeout(fn: () => unknown, ms: number): TimerHandle {
    const timer = new ManualTimer(this._now + Math.max(0, Number.isFinite(ms) ? ms : 0), this._seq++, fn)
    this._timers.add(timer)
    return timer
  }

  /** Due now: runs on the next `advance`, `advance(0)` included, before timers due later. */
  set_immediate(fn: () => unknown): TimerHandle {
    return this.set_timeout(fn, 0)
  }

  clear(handle: TimerHandle): void {
    if (handle instanceof ManualTimer) this._timers.delete(handle)
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this._timers.size
  }

  /** The earliest deadline waiting, or null. */
  get next_deadline(): number | null {
    return this._earliest()?.due ?? null
  }

  /**
   * Runs the earliest timer due at or before `until` (moving the clock to its deadline, never back)
   * and waits for what it returns. False when no timer is due by then.
   */
  async run_next(until: number): Promise<boolean> {
    const timer = this._earliest()
    if (timer === undefined || timer.due > until) return false
    this._timers.delete(timer)
    if (timer.due > this._now) this._now = timer.due
    await timer.fn()
    return true
  }

  /**
   * Moves the clock `ms` forward, running every timer that falls due on the way (those the timers
   * themselves set included), in deadline order; ends at now + ms. `after_each` runs after every timer
   * (AppTest lets the server's output reach the client there).
   */
  async advance(ms: number, after_each: () => Promise<void> = async () => {}): Promise<number> {
    if (!(ms >= 0)) throw new RangeError(`advance() needs a duration >= 0 in milliseconds, got ${ms}`)
    const target = this._now + ms
    let ran = 0
    while (await this.run_next(target)) {
      ran += 1
      await after_each()
    }
    this._now = target
    return ran
  }

  private _earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined
    for (const t of this._timers) if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t
    return best
  }
}
