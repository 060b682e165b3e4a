/**
 * The server's log: lines in `bokeh serve`'s format (`2024-01-31 12:00:00,123 message`) on stderr,
 * filtered by level (`--log-level`). Tests silence it with `set_log_level("none")`.
 */

export const log_levels = ["trace", "debug", "info", "warning", "error", "critical", "none"] as const
export type LogLevel = (typeof log_levels)[number]

const rank: Record<LogLevel, number> = { trace: 5, debug: 10, info: 20, warning: 30, error: 40, critical: 50, none: 100 }

let threshold: number = rank[(process.env["BOKEH_LOG_LEVEL"] as LogLevel | undefined) ?? "info"] ?? rank.info
let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`)

/** Sets the lowest level that is written. */
export function set_log_level(level: LogLevel): void {
  threshold = rank[level]
}

/** Redirects log lines (e.g. to a file or an array in tests). */
export function set_log_sink(fn: (line: string) => void): void {
  sink = fn
}

function timestamp(): string {
  const d = new Date()
  const p = (n: number, w = 2) => String(n).padStart(w, "0")
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`
}

function write(level: LogLevel, message: string, error?: unknown): void {
  if (rank[level] < threshold) return
  let line = `${timestamp()} ${message}`
  if (error !== undefined) line += `\n${error instanceof Error ? error.stack ?? error.message : String(error)}`
  sink(line)
}

/** The server's logger. */
export const log = {
  trace: (message: string) => write("trace", message),
  debug: (message: string) => write("debug", message),
  info: (message: string) => write("info", message),
  warning: (message: string, error?: unknown) => write("warning", message, error),
  error: (message: string, error?: unknown) => write("error", message, error),
}
