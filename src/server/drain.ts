/**
 * Graceful drain (SIGTERM on `bokeh-ts serve`, or `Server.drain()`): the server stops taking new
 * sessions, lets every client get what it is owed, saves every session to the store, then closes the
 * websockets with 1001 so BokehJS reconnects (through the balancer, to another backend). In order:
 *
 * 1. readiness turns false; new pages, autoload scripts and websocket upgrades get 503;
 * 2. every websocket stops being read; messages already received are handled (and answered);
 * 3. every session finishes its running operations and sends changes made outside the lock;
 * 4. connections that fell behind get their folded changes as one patch;
 * 5. `core.flush_sessions()` writes every session to the session store (a no-op without one);
 * 6. the websockets are closed with 1001 (going away) and the drain waits for the closes.
 *
 * The whole drain is bounded by a timeout; what is left then is cut off by `stop()`.
 */
import { log } from "../util/logging.ts"
import { DRAINING_REASON, type BokehServerCore } from "./core.ts"
import { ServerCloseCodes } from "./transport.ts"

/** Drains `core`; resolves true if every step finished within `timeout_milliseconds`, false if it ran out. */
export async function drain(core: BokehServerCore, timeout_milliseconds: number): Promise<boolean> {
  core.begin_drain()
  log.info(`Draining: ${core.connections.size} websocket(s) to close (timeout ${timeout_milliseconds} ms)`)
  let timer: NodeJS.Timeout | undefined
  const timed_out = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeout_milliseconds)))
  try {
    const finished = await Promise.race([steps(core).then(() => true as const), timed_out])
    if (!finished) log.warning(`Drain timed out after ${timeout_milliseconds} ms with ${core.connections.size} websocket(s) still open`)
    return finished
  } finally {
    clearTimeout(timer)
  }
}

async function steps(core: BokehServerCore): Promise<void> {
  await Promise.all([...core.connections].map((c) => c.stop_reading()))
  const sessions = core.application_contexts.flatMap((a) => a.sessions)
  await Promise.all(sessions.map((s) => s.flush().catch((error: unknown) => log.error(`Draining: could not flush session ${s.id}`, error))))
  await Promise.all([...core.connections].map((c) => c.flush_folded().catch((error: unknown) => log.error(`Draining: could not send folded changes`, error))))
  try {
    await core.flush_sessions()
  } catch (error) {
    log.error("Draining: could not write the sessions to the session store", error)
  }
  for (const c of [...core.connections]) c.close(ServerCloseCodes.GOING_AWAY, DRAINING_REASON)
  await core.connections_closed()
}
