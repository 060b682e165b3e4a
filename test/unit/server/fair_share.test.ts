/**
 * FairShare: queued pieces of work are let in one at a time, so the budget check sees the work of the
 * pieces before it and a burst is spread over loop iterations instead of running in one go.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { FairShare } from "../../../src/server/fair_share.ts"

/** The test's own clock: a piece of work "takes" exactly the milliseconds it advances the clock by. */
function test_clock(): { now: () => number; busy: (ms: number) => void } {
  let t = 0
  return {
    now: () => t,
    busy: (ms) => {
      t += ms
    },
  }
}

describe("FairShare", () => {
  it("spreads a burst over loop iterations, at most a budget's worth per iteration, in arrival order", async () => {
    const budget_ms = 5
    const piece_ms = 2
    const { now, busy } = test_clock()
    const fair = new FairShare(budget_ms, now)
    // Counts loop iterations: an immediate scheduled from an immediate runs in the next iteration.
    let iteration = 0
    let counting = true
    const count = (): void => {
      iteration += 1
      if (counting) setImmediate(count)
    }
    setImmediate(count)
    const order: number[] = []
    const iteration_of: number[] = []
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await fair.turn()
        order.push(i)
        iteration_of.push(iteration)
        busy(piece_ms)
      }),
    )
    counting = false
    assert.deepEqual(
      order,
      Array.from({ length: 20 }, (_, i) => i),
    )
    const per_iteration = new Map<number, number>()
    for (const it of iteration_of) per_iteration.set(it, (per_iteration.get(it) ?? 0) + 1)
    // A piece starts only while the slice is under budget: pieces start at 0, 2 and 4 ms, not at 6.
    // With the test's clock the split is exact: 3 pieces in each of 6 iterations, then the last 2.
    assert.deepEqual([...per_iteration.values()], [3, 3, 3, 3, 3, 3, 2], `pieces per iteration: ${JSON.stringify([...per_iteration])}`)
  })

  it("lets the next piece through in the same loop iteration while the slice has time left", async () => {
    // The test's clock does not move: the slice has time left however long the machine takes.
    const fair = new FairShare(1000, test_clock().now)
    await fair.turn() // the first piece starts a slice in the next iteration
    let next_iteration = false
    setImmediate(() => {
      next_iteration = true
    })
    await fair.turn()
    assert.equal(next_iteration, false)
    assert.equal(fair.queued, 0)
  })

  it("lets queued ongoing work in before queued new arrivals", async () => {
    // A zero budget: every piece queues, and each slice lets exactly one in.
    const spent = new FairShare(0)
    const order: string[] = []
    await Promise.all([
      spent.turn("new").then(() => order.push("new 1")),
      spent.turn("ongoing").then(() => order.push("ongoing 1")),
      spent.turn("new").then(() => order.push("new 2")),
      spent.turn().then(() => order.push("ongoing 2")),
    ])
    assert.deepEqual(order, ["ongoing 1", "ongoing 2", "new 1", "new 2"])
  })
})
