/**
 * `--log-format`: Python `logging` format strings (`%(asctime)s %(levelname)-8s %(message)s`), the
 * syntax `bokeh serve` users already write. The string is compiled once into a list of pieces, so
 * formatting a line does no parsing.
 */
import { ConfigError } from "../core/errors.ts"

/** What one log call knows; the fields a format may name are derived from it. */
export interface LogRecord {
  readonly level: string
  readonly level_number: number
  readonly message: string
  readonly time: Date
}

export const DEFAULT_LOG_FORMAT = "%(asctime)s %(message)s"

const START = Date.now()
const pad = (n: number, w = 2) => String(n).padStart(w, "0")

/** `2024-01-31 12:00:00,123`, Python logging's default asctime. */
export function asctime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
}

const FIELDS: Record<string, (r: LogRecord) => string | number> = {
  asctime: (r) => asctime(r.time),
  message: (r) => r.message,
  levelname: (r) => r.level.toUpperCase(),
  levelno: (r) => r.level_number,
  name: () => "bokeh.server",
  process: () => process.pid,
  processName: () => "MainProcess",
  thread: () => 0,
  threadName: () => "MainThread",
  created: (r) => r.time.getTime() / 1000,
  msecs: (r) => r.time.getMilliseconds(),
  relativeCreated: (r) => r.time.getTime() - START,
}

type Piece = string | ((r: LogRecord) => string)

const SPEC = /%\((\w+)\)([-#0 +]*)(\d*)(?:\.(\d+))?([sdifr])|%%/g

function converter(field: string, flags: string, width: string, precision: string | undefined, conversion: string): (r: LogRecord) => string {
  const get = FIELDS[field]!
  const w = width === "" ? 0 : Number(width)
  const left = flags.includes("-")
  const zero = flags.includes("0") && !left
  return (r) => {
    const v = get(r)
    let text: string
    if (conversion === "d" || conversion === "i") text = String(Math.trunc(Number(v)))
    else if (conversion === "f") text = Number(v).toFixed(precision === undefined ? 6 : Number(precision))
    else text = precision === undefined ? String(v) : String(v).slice(0, Number(precision))
    if (text.length >= w) return text
    return left ? text.padEnd(w) : text.padStart(w, zero ? "0" : " ")
  }
}

/** Compiles a format; unknown fields are a ConfigError now rather than a broken line later. */
export function compile_log_format(format: string): (record: LogRecord) => string {
  const pieces: Piece[] = []
  let at = 0
  for (const m of format.matchAll(SPEC)) {
    if (m.index > at) pieces.push(format.slice(at, m.index))
    at = m.index + m[0].length
    if (m[0] === "%%") {
      pieces.push("%")
      continue
    }
    const [, field, flags, width, precision, conversion] = m as unknown as [string, string, string, string, string | undefined, string]
    if (!(field in FIELDS)) throw new ConfigError("BK_ERR_OPTION", `--log-format: unknown field %(${field}); known: ${Object.keys(FIELDS).join(", ")}`)
    pieces.push(converter(field, flags, width, precision, conversion))
  }
  if (at < format.length) pieces.push(format.slice(at))
  return (record) => {
    let out = ""
    for (const p of pieces) out += typeof p === "string" ? p : p(record)
    return out
  }
}
