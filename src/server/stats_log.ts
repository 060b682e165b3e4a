/**
 * The server's periodic health lines, as `bokeh serve` writes them: connection and session counts
 * every `stats_log_frequency_milliseconds` (debug level, so computed only when debug is on), and
 * memory use every `mem_log_frequency_milliseconds` (info level; off by default).
 */
import { log, log_enabled } from "../util/logging.ts"
import type { BokehServerCore } from "./core.ts"
import { DEFAULTS, type ServerOptions } from "./options.ts"

const MB = 1024 * 1024

/** One stats report: `[pid N] K clients connected`, then one line per app. */
export function log_stats(core: BokehServerCore): void {
  if (!log_enabled("debug")) return
  log.debug(`[pid ${process.pid}] ${core.connections.size} clients connected`)
  for (const app of core.application_contexts) {
    const sessions = app.sessions
    const unused = sessions.filter((s) => s.connection_count === 0).length
    log.debug(`[pid ${process.pid}]   ${app.url} has ${sessions.length} sessions with ${unused} unused`)
  }
}

/** One memory report. Node reports RSS and heap rather than Python's RSS/VMS pair. */
export function log_memory(): void {
  const m = process.memoryUsage()
  log.info(
    `[pid ${process.pid}] Memory usage: ${(m.rss / MB).toFixed(2)} MB (RSS), ${(m.heapUsed / MB).toFixed(2)} MB (heap used), ${(m.arrayBuffers / MB).toFixed(2)} MB (array buffers)`,
  )
}

/** Starts both reports per the options; returns a function that stops them. */
export function start_stats_logging(core: BokehServerCore, options: ServerOptions): () => void {
  const timers: NodeJS.Timeout[] = []
  const every = (ms: number, fn: () => void) => {
    if (ms > 0) timers.push(setInterval(fn, ms).unref())
  }
  every(options.stats_log_frequency_milliseconds ?? DEFAULTS.stats_log_frequency_milliseconds, () => log_stats(core))
  every(options.mem_log_frequency_milliseconds ?? DEFAULTS.mem_log_frequency_milliseconds, log_memory)
  return () => {
    for (const t of timers) clearInterval(t)
  }
}
