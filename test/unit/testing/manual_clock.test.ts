/** The manual clock AppTest hands the server, and session callbacks scheduled on it instead of Node's timers. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { NextTickCallback, PeriodicCallback, TimeoutCallback } from "../../../src/document/callbacks.ts"
import { ManualClock } from "../../../src/testing/manual_clock.ts"

describe("ManualClock", () => {
  it("runs timers by deadline, then in the order they were set, and only those due", async () => {
    const clock = new ManualClock()
    const ran: string[] = []
    clock.set_timeout(() => ran.push("b@20"), 20)
    clock.set_timeout(() => ran.push("a@10"), 10)
    clock.set_timeout(() => ran.push("c@20"), 20)
    clock.set_immediate(() => ran.push("now"))
    const cleared = clock.set_timeout(() => ran.push("cleared"), 5)
    clock.clear(cleared)
    assert.equal(await clock.advance(15), 2)
    assert.deepEqual(ran, ["now", "a@10"])
    assert.equal(clock.now(), 15)
    await clock.advance(5)
    assert.deepEqual(ran, ["now", "a@10", "b@20", "c@20"])
    assert.equal(clock.pending, 0)
  })

  it("waits for a timer's promise before the next, and runs timers set meanwhile when they fall due", async () => {
    const clock = new ManualClock()
    const ran: string[] = []
    clock.set_timeout(async () => {
      await new Promise((resolve) => setImmediate(resolve))
      ran.push("slow@10 done")
      clock.set_timeout(() => ran.push(`chained@${clock.now()}`), 5)
    }, 10)
    clock.set_timeout(() => ran.push("next@12"), 12)
    await clock.advance(100)
    assert.deepEqual(ran, ["slow@10 done", "next@12", "chained@15"])
  })

  it("a PeriodicCallback on it runs on its grid: advance(5000) runs a 1 s callback five times", async () => {
    const clock = new ManualClock()
    const times: number[] = []
    const cb = new PeriodicCallback(() => {
      times.push(clock.now())
    }, 1000)
    cb._scheduler = clock
    cb.start()
    await clock.advance(5000)
    assert.deepEqual(times, [1000, 2000, 3000, 4000, 5000])
    cb.stop()
    await clock.advance(5000)
    assert.equal(times.length, 5)
  })

  it("timeout and next-tick callbacks on it run once, when due", async () => {
    const clock = new ManualClock()
    const ran: string[] = []
    const timeout = new TimeoutCallback(() => ran.push("timeout"), 500)
    const tick = new NextTickCallback(() => ran.push("tick"))
    for (const cb of [timeout, tick]) {
      cb._scheduler = clock
      cb.start()
    }
    await clock.advance(499)
    assert.deepEqual(ran, ["tick"])
    await clock.advance(1)
    assert.deepEqual(ran, ["tick", "timeout"])
    await clock.advance(10_000)
    assert.deepEqual(ran, ["tick", "timeout"])
  })

  it("refuses a negative duration", async () => {
    await assert.rejects(new ManualClock().advance(-1), RangeError)
  })
})
