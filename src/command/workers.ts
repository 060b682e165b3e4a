/**
 * `--num-procs N`: N worker processes share the listening socket through node:cluster (the primary
 * hands connections out round-robin), as `bokeh serve --num-procs` forks Tornado workers. Each worker
 * runs the whole server; a session lives in the worker that created it. A websocket landing in another
 * worker than its page creates the session there from the token, which carries everything needed
 * (docs/protocol.md §7.3), exactly as with Python's workers. Workers that die are replaced.
 */
import cluster from "node:cluster"
import { availableParallelism } from "node:os"

import { log } from "../util/logging.ts"

/** How many times in a row a worker may die young before the primary gives up (a broken app). */
const MAX_QUICK_DEATHS = 5
const QUICK_MS = 5000

/** How long the primary waits beyond the workers' drain timeout before it kills them. */
const KILL_GRACE_MS = 5000

/**
 * Forks the workers. On SIGTERM/SIGINT the primary forwards SIGTERM, so each worker drains (closing
 * its websockets so clients reconnect), and exits once all have; workers still running
 * `drain_timeout_ms` + 5 s later are killed.
 */
export function run_workers(argv: readonly string[], num_procs: number, drain_timeout_ms: number): void {
  const n = num_procs === 0 ? availableParallelism() : num_procs
  log.info(`Starting ${n} worker processes (primary process id: ${process.pid})`)
  // Workers re-run this CLI with the same arguments; cluster.isWorker routes them to the server path.
  cluster.setupPrimary({ exec: process.argv[1]!, args: ["serve", ...argv], execArgv: process.execArgv })
  const started = new Map<number, number>()
  let quick_deaths = 0
  let stopping = false
  const fork = () => {
    const worker = cluster.fork()
    started.set(worker.id, Date.now())
  }
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return
    const lived = Date.now() - (started.get(worker.id) ?? 0)
    quick_deaths = lived < QUICK_MS ? quick_deaths + 1 : 0
    log.warning(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`})`)
    if (quick_deaths >= MAX_QUICK_DEATHS) {
      log.error(`workers keep dying at startup; giving up`)
      process.exit(1)
    }
    fork()
  })
  for (let i = 0; i < n; i++) fork()
  const stop = () => {
    if (stopping) return
    stopping = true
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM")
    let left = Object.keys(cluster.workers ?? {}).length
    if (left === 0) process.exit(0)
    cluster.on("exit", () => {
      if (--left === 0) process.exit(0)
    })
    setTimeout(() => {
      log.warning(`workers still running ${drain_timeout_ms + KILL_GRACE_MS} ms after SIGTERM: killing them`)
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL")
    }, drain_timeout_ms + KILL_GRACE_MS).unref()
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}
