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
 *
 * Work for connections already admitted ("ongoing": building a session, answering its pull) goes before
 * "new" arrivals (websocket handshakes), so a storm of opens completes sessions one after another instead
 * of doing every handshake first and every pull last.
 */
/** "ongoing": work for a connection or request already under way; "new": accepting another one. */
export type Priority = "ongoing" | "new"

export class FairShare {
  private slice_start = -Infinity
  private readonly waiting = { ongoing: [] as Array<() => void>, new: [] as Array<() => void> }
  /** An admission is pending (after the current drain, or in the next loop iteration). */
  private scheduled = false

  /**
   * @param budget_ms how long one uninterrupted slice of work may run
   * @param now the monotonic clock slices are measured on, in milliseconds (a test's own clock makes them exact)
   */
  constructor(
    private readonly budget_ms = 8,
    private readonly now: () => number = () => performance.now(),
  ) {}

  turn(priority: Priority = "ongoing"): Promise<void> {
    if (!this.scheduled && this.queued === 0 && this.slice_left()) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.waiting[priority].push(resolve)
      if (!this.scheduled) this.admit_in_next_iteration()
    })
  }

  /** How many pieces are waiting for their turn. */
  get queued(): number {
    return this.waiting.ongoing.length + this.waiting.new.length
  }

  private slice_left(): boolean {
    return this.now() - this.slice_start < this.budget_ms
  }

  private admit_in_next_iteration(): void {
    this.scheduled = true
    setImmediate(() => {
      this.slice_start = this.now()
      this.admit(true)
    })
  }

  /**
   * Lets the next waiter in if the slice has time left (the first of a slice always gets in). Runs with
   * no other microtask pending.
   */
  private readonly admit = (slice_begins = false): void => {
    this.scheduled = false
    if (this.queued === 0) return
    if (!slice_begins && !this.slice_left()) {
      this.admit_in_next_iteration()
      return
    }
    this.scheduled = true
    const next = this.waiting.ongoing.shift() ?? this.waiting.new.shift()!
    next()
    // The waiter's continuation was queued by resolve(), before this microtask; a tick scheduled from a
    // microtask runs only once the whole microtask queue is empty, so the waiter's work is done by then.
    queueMicrotask(() => process.nextTick(this.admit, false))
  }
}

/** Shared by the whole process: websocket handshakes, session creation and document pulls arrive in bursts. */
export const burst_work = new FairShare()
