/**
 * What `bokeh-ts serve` does on SIGTERM and SIGINT: a graceful drain (see server/drain.ts), then exit
 * 0. A second SIGINT (Ctrl-C again) stops at once; further SIGTERMs are ignored (a --num-procs
 * primary forwards SIGTERM to workers that the terminal's Ctrl-C already reached).
 */
import { log } from "../util/logging.ts"
import type { Server } from "../server/server.ts"

export function stop_on_signals(server: Server): void {
  let draining = false
  const on_signal = (signal: NodeJS.Signals) => {
    if (draining) {
      if (signal === "SIGINT") {
        log.warning("Second SIGINT: stopping without waiting for the drain")
        process.exit(1)
      }
      return
    }
    draining = true
    log.info(`${signal} received: draining`)
    void server.drain().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("error while draining", error)
        process.exit(1)
      },
    )
  }
  process.on("SIGINT", on_signal)
  process.on("SIGTERM", on_signal)
}
