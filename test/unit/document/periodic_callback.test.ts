/**
 * PeriodicCallback keeps Tornado's fixed grid: a run that overruns several periods skips the missed
 * ticks and waits for the next grid point, instead of starting again at once (which would also let
 * timer lateness pile up run after run).
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { PeriodicCallback } from "../../../src/document/callbacks.ts"

function busy_wait(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) { /* the run overruns on purpose */ }
}

describe("PeriodicCallback", () => {
  it("skips ticks missed by a long run and resumes on the grid", async () => {
    const period = 30
    const starts: number[] = []
    const ends: number[] = []
    let resolve!: () => void
    const done = new Promise<void>((r) => { resolve = r })
    const cb = new PeriodicCallback(() => {
      starts.push(performance.now())
      if (starts.length === 1) busy_wait(100) // covers the ticks at 60, 90 and 120
      ends.push(performance.now())
      if (starts.length === 3) resolve()
    }, period)
    cb._runner = async (c) => { await c.callback() }
    const t0 = performance.now()
    cb.start()
    await done
    cb.stop()
    // The second run waits for the grid point after the overrun (~150), not right after run 1 (~130).
    assert.ok(starts[1]! - ends[0]! >= 10, `second run started ${(starts[1]! - ends[0]!).toFixed(1)} ms after the first ended`)
    assert.ok(starts[1]! - t0 >= 4 * period, `second run at ${(starts[1]! - t0).toFixed(1)} ms`)
    // and the third is one period after the second (the grid), give or take timer lateness
    assert.ok(starts[2]! - starts[1]! >= period - 2, `third run ${(starts[2]! - starts[1]!).toFixed(1)} ms after the second`)
  })
})
