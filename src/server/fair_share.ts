/**
 * Keeps bursts of work from stalling the event loop. Work that arrives together (500 page loads or
 * websocket opens at once) would otherwise run back to back in one loop phase; `await fair_share.turn()`
 * before each piece lets a piece start at once while the current slice is short, and otherwise waits for
 * a later loop iteration (timers, pings and I/O of other sessions run in between).
 */
import { setImmediate as next_iteration } from "node:timers/promises"

export class FairShare {
  private slice_start = 0
  private waiting: Promise<void> | null = null

  /** @param budget_ms how long one uninterrupted slice of work may run */
  constructor(private readonly budget_ms = 8) {}

  async turn(): Promise<void> {
    for (;;) {
      const now = performance.now()
      if (this.waiting === null && now - this.slice_start < this.budget_ms) return
      if (this.waiting === null) {
        // The slice is used up: everyone waits for the next iteration, then a new slice begins.
        this.waiting = next_iteration().then(() => {
          this.waiting = null
          this.slice_start = performance.now()
        })
      }
      await this.waiting
    }
  }
}

/** Shared by the whole process: session creation and document pulls are what arrive in bursts. */
export const burst_work = new FairShare()
