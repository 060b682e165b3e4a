/**
 * The server's log: lines in `bokeh serve`'s format (`2024-01-31 12:00:00,123 message`) on stderr,
 * filtered by level (`--log-level`), formatted by `--log-format` and optionally written to
 * `--log-file` instead. Tests silence it with `set_log_level("none")`.
 */
import { read_setting } from "../settings.ts"
import { compile_log_format, DEFAULT_LOG_FORMAT, type LogRecord } from "./log_format.ts"

export const log_levels = ["trace", "debug", "info", "warning", "error", "critical", "none"] as const
export type LogLevel = (typeof log_levels)[number]

const rank: Record<LogLevel, number> = { trace: 5, debug: 10, info: 20, warning: 30, error: 40, critical: 50, none: 100 }

// Until --log-level or set_log_level says otherwise: BOKEH_LOG_LEVEL where it names one of our levels.
let threshold: number = (rank as Record<string, number>)[initial_level()] ?? rank.info

function initial_level(): string {
  try {
    return read_setting("log_level")
  } catch {
    return "info"
  }
}
// A reader of the log that went away (its pipe closed: EPIPE) must neither end the process nor fail again
// on every later line (each failure, reported as an uncaught exception, would be logged to the same dead
// pipe, without end): stderr's lines are dropped from then on, and the server keeps serving.
let stderr_open = true
process.stderr.on("error", () => {
  stderr_open = false
})
let sink: (line: string) => void = (line) => {
  if (stderr_open) process.stderr.write(`${line}\n`)
}
let format: (record: LogRecord) => string = compile_log_format(DEFAULT_LOG_FORMAT)

/** Sets the lowest level that is written. */
export function set_log_level(level: LogLevel): void {
  threshold = rank[level]
}

/** Whether lines of `level` are written (to skip building costly messages). */
export function log_enabled(level: LogLevel): boolean {
  if (rank[level] >= threshold) return true
  for (const l of listeners) if (rank[level] >= l.level) return true
  return false
}

/** Redirects log lines (e.g. to a file or an array in tests). */
export function set_log_sink(fn: (line: string) => void): void {
  sink = fn
}

/** Sets the line format (Python logging syntax); throws ConfigError for unknown fields. */
export function set_log_format(fmt: string): void {
  format = compile_log_format(fmt)
}

/** One log record as listeners see it: the formatted line (stack included) and its parts. */
export interface LogEntry {
  readonly level: LogLevel
  readonly message: string
  /** The error the line was logged with, if any. */
  readonly error?: unknown
  readonly line: string
}

const listeners = new Set<{ readonly level: number; readonly fn: (entry: LogEntry) => boolean | void }>()

/**
 * Calls `fn` with every record at `level` or above, whatever `set_log_level` says. A listener that
 * returns true takes the line: it is not written to the log (a test kit keeps its own server's lines
 * this way). Returns a function that removes the listener.
 */
export function add_log_listener(fn: (entry: LogEntry) => boolean | void, level: LogLevel = "info"): () => void {
  const entry = { level: rank[level], fn }
  listeners.add(entry)
  return () => listeners.delete(entry)
}

function write(level: LogLevel, message: string, error?: unknown): void {
  const wanted = rank[level] >= threshold
  if (!wanted && (listeners.size === 0 || ![...listeners].some((l) => rank[level] >= l.level))) return
  let line = format({ level, level_number: rank[level], message, time: new Date() })
  if (error !== undefined) line += `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
  let taken = false
  for (const l of listeners) {
    if (rank[level] < l.level) continue
    try {
      if (l.fn(error === undefined ? { level, message, line } : { level, message, error, line }) === true) taken = true
    } catch {
      // A listener must not break logging (or the code that logged).
    }
  }
  if (wanted && !taken) sink(line)
}

/** The server's logger. */
export const log = {
  trace: (message: string) => write("trace", message),
  debug: (message: string) => write("debug", message),
  info: (message: string) => write("info", message),
  warning: (message: string, error?: unknown) => write("warning", message, error),
  error: (message: string, error?: unknown) => write("error", message, error),
}
