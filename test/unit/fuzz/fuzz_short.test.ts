/**
 * A short, seeded run of the protocol fuzzer (`npm run fuzz` runs long ones): against a server in this
 * process, no hang, no wedged session, no oracle failure (what an observer holds equals a fresh pull
 * after every case), and the well-behaved session sees nothing.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { fuzz_app } from "../../../fuzz/app.ts"
import { run_fuzz } from "../../../fuzz/runner.ts"
import { start_server } from "../server/helpers.ts"

describe("protocol fuzzer (short run)", () => {
  it("1,000 seeded cases: no hang, no wedged session, no oracle failure, the other session untouched", async () => {
    const server = await start_server({ "/fuzz": fuzz_app }, { keep_alive_milliseconds: 0 })
    try {
      const report = await run_fuzz({
        url: `ws://127.0.0.1:${server.port}/fuzz/ws`,
        seed: 12,
        count: 1000,
        seconds: 120,
        check_every: 250,
        check_every_case: true,
        rotate_every: 500,
      })
      assert.equal(report.cases, 1000)
      assert.deepEqual(report.failures, [])
      assert.equal(report.hangs, 0)
      assert.equal(report.wedged, 0)
      assert.equal(report.foreign_changes, 0)
      assert.ok(report.accepted > 50 && report.rejected > 50 && report.closed > 30, `the cases reach every outcome (${JSON.stringify(report)})`)
    } finally {
      await server.stop()
    }
  })
})
