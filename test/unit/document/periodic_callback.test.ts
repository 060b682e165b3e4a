import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { next_grid_deadline } from "../../../src/document/callbacks.ts"

// The schedule is a pure function of the previous deadline, the period and when the run ended, so it is
// tested with chosen times instead of real timers (which a loaded machine makes late by any amount).
describe("PeriodicCallback grid", () => {
  it("a run that ends before the next grid point keeps the grid (timer lateness does not add up)", () => {
    assert.equal(next_grid_deadline(30, 30, 31.5), 60)
    assert.equal(next_grid_deadline(60, 30, 89.9), 90)
  })

  it("a run that overran skips the missed ticks and resumes on the grid", () => {
    // started at 30, ran 100 ms (ended at 130): the ticks at 60, 90 and 120 are skipped, the next is at 150
    assert.equal(next_grid_deadline(30, 30, 130), 150)
    // ending exactly on a grid point is not ahead of it: the next point is one period later
    assert.equal(next_grid_deadline(30, 30, 120), 150)
    assert.equal(next_grid_deadline(30, 30, 60), 90)
  })
})
