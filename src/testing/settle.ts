/**
 * How AppTest waits and moves time: protocol round trips prove the server handled what the browsers
 * sent and the browsers applied what it sent back; the manual clock runs session callbacks in deadline
 * order, each settled before the next.
 */
import { ClientError } from "../core/errors.ts"
import { NextTickCallback, TimeoutCallback } from "../document/callbacks.ts"
import type { BokehServerCore } from "../server/core.ts"
import type { ManualClock } from "./manual_clock.ts"
import type { TestBrowser } from "./test_browser.ts"

/** Most callbacks a step may run at one instant (next-tick callbacks scheduling each other) before it gives up. */
export const MAX_DUE_NOW = 10_000

/**
 * Waits until everything the browsers sent is handled and what the server sent is applied, running
 * callbacks that are due now (next-tick callbacks, zero timeouts) on the way.
 */
export async function settle(clock: ManualClock, browsers: readonly TestBrowser[]): Promise<void> {
  for (let i = 0; ; i++) {
    // Changes app code made outside a locked operation go out on the next turn of the event loop.
    await next_turn()
    // The server handles a connection's messages in order: its reply proves all earlier ones were
    // handled (their callbacks awaited), and the patches it sent before it are applied here by now.
    for (const b of browsers) if (b.client.connected) await b.client.force_roundtrip()
    if (!(await clock.run_next(clock.now()))) return
    if (i >= MAX_DUE_NOW) throw new ClientError("BK_ERR_TIMEOUT", `the app kept scheduling callbacks due now (${MAX_DUE_NOW} in a row)`)
  }
}

/** Runs timeout and next-tick callbacks in deadline order until none waits (see `AppTest.run_until_idle`). */
export async function run_until_idle(clock: ManualClock, core: BokehServerCore, settled: () => Promise<void>, limit: number): Promise<void> {
  await settled()
  let ran = 0
  while (one_shots_waiting(core)) {
    const deadline = clock.next_deadline
    if (deadline === null) break
    await clock.run_next(deadline)
    await settled()
    if (++ran > limit) throw new ClientError("BK_ERR_TIMEOUT", `run_until_idle() ran ${limit} callbacks and the app still has timeouts waiting`)
  }
}

function one_shots_waiting(core: BokehServerCore): boolean {
  for (const session of core.application_contexts.flatMap((a) => a.sessions)) {
    for (const cb of session.document.session_callbacks) if (cb instanceof TimeoutCallback || cb instanceof NextTickCallback) return true
  }
  return false
}

export function next_turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
