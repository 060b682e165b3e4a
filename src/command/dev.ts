/**
 * `serve --dev`: the server runs in a worker process (node:cluster) that is replaced when a watched file
 * changes, so the app's modules are loaded afresh.
 *
 * A reload is quick and seamless by construction:
 * - a spare worker is always waiting with bokeh-ts loaded; on a change it loads the app and listens;
 * - the primary owns the listening socket and every worker accepts on it (cluster, SCHED_NONE), so the
 *   new worker listens BEFORE the old one stops: no moment without a listener, no connection lost. Only then is the old worker stopped: it stops accepting,
 *   then closes its websockets, and BokehJS in open tabs reconnects at once (its first retry has no
 *   delay), lands in the new worker, which creates the session from the token, and pulls the new
 *   document into the page;
 * - an app that fails to load (a syntax error mid-edit) leaves the previous worker serving; the error is
 *   printed and the next save tries again.
 *
 * The watched files are recomputed after every reload (the app's imports may have changed).
 */
import cluster, { type Worker } from "node:cluster"

import { prepare_app_loading } from "../application/handlers/app_loader.ts"
import type { Server } from "../server/server.ts"
import { log } from "../util/logging.ts"
import { watch_folders, watch_targets } from "./dev_watch.ts"

/** Set in dev workers: wait for GO before loading the app. */
export const DEV_WORKER_ENV = "BOKEH_TS_DEV_WORKER"

/** Whether this process is a --dev worker (the primary hands that over in the worker's environment). */
export function is_dev_worker(): boolean {
  return cluster.isWorker && process.env[DEV_WORKER_ENV] === "1"
}
export const DEV_GO = "bokeh-ts:dev-go"
const DEV_WAITING = "bokeh-ts:dev-waiting"
const DEV_STOPPED_LISTENING = "bokeh-ts:dev-stopped-listening"
/** How long a burst of file events may last (an editor's write + rename) before the reload starts. */
const SETTLE_MS = 30
/** How long an old worker may take to close its sessions before it is killed. */
const STOP_GRACE_MS = 3000

/** In a dev worker: loads what apps import, then resolves when the primary says GO. */
export async function dev_worker_wait(): Promise<void> {
  await import("../index.ts")
  await prepare_app_loading()
  await new Promise<void>((resolve) => {
    const on_message = (message: unknown) => {
      if (message !== DEV_GO) return
      process.off("message", on_message)
      resolve()
    }
    process.on("message", on_message)
    // Messages sent before a listener exists are lost: the primary sends GO only after this.
    process.send!(DEV_WAITING)
  })
}

/** Removes --dev (with its files) and --num-procs from `argv`: what each worker runs. */
export function worker_argv(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--args") {
      out.push(...argv.slice(i))
      break
    }
    if (arg === "--dev") {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) i++
      continue
    }
    if (arg.startsWith("--dev=") || arg.startsWith("--num-procs=")) continue
    if (arg === "--num-procs") {
      i++
      continue
    }
    out.push(arg)
  }
  return out
}

/**
 * In a dev worker that is being replaced: stops accepting connections and tells the primary, which then
 * knows every new connection goes to the new worker (cluster handles its own close message first: both
 * travel in order on the same channel).
 */
export function dev_worker_stopped_listening(server: Server): void {
  void server.stop_listening()
  process.send?.(DEV_STOPPED_LISTENING)
}

export function run_dev(argv: readonly string[], app_path: string, extra: readonly string[]): void {
  // Workers accept on the shared socket themselves: a worker that closes its copy gets no more
  // connections at once. (With the primary handing connections out, one handed to a worker that is
  // closing hangs.)
  cluster.schedulingPolicy = cluster.SCHED_NONE
  cluster.setupPrimary({ exec: process.argv[1]!, args: ["serve", ...worker_argv(argv)], execArgv: process.execArgv })
  let current: Worker | null = null
  let spare: Worker | null = null
  let reloading = false
  let again: string | null = null
  let settle: NodeJS.Timeout | null = null
  let unwatch: () => void = () => {}
  let stopping = false

  const waiting = new WeakMap<Worker, Promise<void>>()
  const fork = (): Worker => {
    const worker = cluster.fork({ [DEV_WORKER_ENV]: "1" })
    const ready = new Promise<void>((resolve) => worker.on("message", (m: unknown) => m === DEV_WAITING && resolve()))
    void ready.then(() => log.debug(`server process ${worker.process.pid} is ready to load the app`))
    waiting.set(worker, ready)
    return worker
  }

  /** Stops `worker`; resolves once it accepts no more connections (or has exited). */
  const stop_worker = (worker: Worker): Promise<void> => {
    if (worker.isDead()) return Promise.resolve()
    const kill = setTimeout(() => worker.process.kill("SIGKILL"), STOP_GRACE_MS)
    const stopped = new Promise<void>((resolve) => {
      worker.process.once("exit", () => {
        clearTimeout(kill)
        resolve()
      })
      worker.on("message", (m: unknown) => m === DEV_STOPPED_LISTENING && resolve())
    })
    worker.process.kill("SIGTERM")
    return stopped
  }

  const rewatch = async () => {
    const targets = await watch_targets(app_path, extra)
    const previous = unwatch
    unwatch = watch_folders(targets, changed)
    previous()
  }

  /** Starts the spare (or a new worker) on the app; resolves when it listens (true) or has died (false). */
  const launch = (): Promise<boolean> => {
    const worker = spare ?? fork()
    spare = null
    return new Promise<boolean>((resolve) => {
      const on_listening = () => {
        worker.off("exit", on_exit)
        resolve(true)
      }
      const on_exit = () => {
        worker.off("listening", on_listening)
        resolve(false)
      }
      worker.once("listening", on_listening)
      worker.once("exit", on_exit)
      void waiting.get(worker)!.then(() => worker.send(DEV_GO))
    }).then(async (ok) => {
      if (ok) {
        const old = current
        current = worker
        if (old !== null) await stop_worker(old)
      }
      if (!stopping && spare === null) spare = fork()
      return ok
    })
  }

  /** Loads the app in a new worker (the first time when `file` is null); one load at a time, later changes coalesce. */
  const reload = async (file: string | null) => {
    reloading = true
    const started = performance.now()
    if (file !== null) log.info(`${file} changed: reloading`)
    else await rewatch()
    const ok = await launch()
    if (ok && file !== null) log.info(`reloaded in ${Math.round(performance.now() - started)} ms`)
    if (!ok) log.error(`the app failed to load (see above); ${current !== null ? "still serving the previous version, " : ""}waiting for the next change`)
    await rewatch()
    reloading = false
    if (again !== null) {
      const next = again
      again = null
      void reload(next)
    }
  }

  function changed(file: string): void {
    if (stopping) return
    if (settle !== null) clearTimeout(settle)
    settle = setTimeout(() => {
      settle = null
      if (reloading) again = file
      else void reload(file)
    }, SETTLE_MS)
  }

  cluster.on("exit", (worker, code, signal) => {
    if (worker === current && !stopping) log.warning(`the server process exited (${signal ?? `code ${code}`}); waiting for a change`)
  })

  void reload(null)

  const stop = () => {
    stopping = true
    unwatch()
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)
    let left = workers.length
    if (left === 0) process.exit(0)
    for (const worker of workers) {
      worker.process.once("exit", () => {
        if (--left === 0) process.exit(0)
      })
      stop_worker(worker)
    }
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}
