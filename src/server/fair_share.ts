/**
 * Keeps bursts of work from stalling the event loop. Work that arrives together (500 page loads or
 * websocket opens at once) would otherwise run back to back in one loop phase; `await fair_share.turn()`
 * before each piece lets a piece start at once while the current slice is short, and otherwise queues it.
 *
 * Queued pieces are let in one at a time, and the next one only after the microtask queue has drained,
 * i.e. after the previous piece's synchronous work has actually run. Waking every waiter at once (as an
 * earlier version did) let all of them pass the budget check before any of them had done its work, so
 * 500 queued sessions were built in one 150 ms run. Once a slice is used up, the next piece waits for
 * the next loop iteration (timers, pings and I/O of other sessions run in between) and starts a new slice.
 */
export class FairShare {
  private slice_start = -Infinity
  private readonly waiting: Array<() => void> = []
  /** An admission is pending (after the current drain, or in the next loop iteration). */
  private scheduled = false

  /** @param budget_ms how long one uninterrupted slice of work may run */
  constructor(private readonly budget_ms = 8) {}

  turn(): Promise<void> {
    if (!this.scheduled && this.waiting.length === 0 && this.slice_left()) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve)
      if (!this.scheduled) this.admit_in_next_iteration()
    })
  }

  /** How many pieces are waiting for their turn. */
  get queued(): number {
    return this.waiting.length
  }

  private slice_left(): boolean {
    return performance.now() - this.slice_start < this.budget_ms
  }

  private admit_in_next_iteration(): void {
    this.scheduled = true
    setImmediate(() => {
      this.slice_start = performance.now()
      this.admit()
    })
  }

  /** Lets the next waiter in, if the slice has time left. Runs with no other microtask pending. */
  private readonly admit = (): void => {
    this.scheduled = false
    if (this.waiting.length === 0) return
    if (!this.slice_left()) {
      this.admit_in_next_iteration()
      return
    }
    this.scheduled = true
    this.waiting.shift()!()
    // The waiter's continuation was queued by resolve(), before this microtask; a tick scheduled from a
    // microtask runs only once the whole microtask queue is empty, so the waiter's work is done by then.
    queueMicrotask(() => process.nextTick(this.admit))
  }
}

/** Shared by the whole process: websocket handshakes, session creation and document pulls arrive in bursts. */
export const burst_work = new FairShare()
