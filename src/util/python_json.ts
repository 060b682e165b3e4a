/**
 * JSON text the way Python's `json.dumps(obj)` writes it with default arguments: `", "` and
 * `": "` separators and `ensure_ascii` escaping. Tokens minted with it are byte-for-byte like
 * Python Bokeh's, which keeps them comparable in logs, tests and recorded traffic.
 */

import { SerializationError, preview } from "../core/errors.ts"
import { b64url_encode } from "./b64.ts"

export interface PythonJSONOptions {
  /** Write every `Uint8Array` as `{"bytes": "<b64url_nopad>"}` (Bokeh's token rule); otherwise they are refused. */
  readonly bytes_rule?: boolean
}

/**
 * Serializes plain JSON-like data (null, booleans, finite numbers, bigints, strings, arrays,
 * plain objects; `Uint8Array` with `bytes_rule`). Object properties that are `undefined` are
 * left out, as `JSON.stringify` does. Anything else throws `SerializationError`
 * BK_ERR_UNSERIALIZABLE rather than being dropped silently.
 */
export function python_json_dumps(value: unknown, options: PythonJSONOptions = {}): string {
  const parts: string[] = []
  write(value, parts, options.bytes_rule ?? false, new Set())
  return parts.join("")
}

// Characters Python writes verbatim: printable ASCII except `"` and `\`.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" }

/** A string as a Python `ensure_ascii` JSON literal (lowercase `\uXXXX` per UTF-16 unit). */
export function python_json_string(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`
  return `"${s.replace(NEEDS_ESCAPE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`
}

function write(value: unknown, out: string[], bytes_rule: boolean, stack: Set<object>): void {
  switch (typeof value) {
    case "string":
      out.push(python_json_string(value))
      return
    case "boolean":
      out.push(value ? "true" : "false")
      return
    case "bigint":
      out.push(value.toString())
      return
    case "number":
      if (!Number.isFinite(value)) throw unserializable(value)
      out.push(JSON.stringify(value))
      return
    case "object":
      break
    default:
      throw unserializable(value)
  }
  if (value === null) {
    out.push("null")
    return
  }
  if (value instanceof Uint8Array && bytes_rule) {
    out.push(`{"bytes": "${b64url_encode(value)}"}`)
    return
  }
  if (stack.has(value)) throw new SerializationError("BK_ERR_UNSERIALIZABLE", "cannot write a circular structure as JSON")
  stack.add(value)
  if (Array.isArray(value)) {
    out.push("[")
    value.forEach((item, i) => {
      if (i > 0) out.push(", ")
      write(item, out, bytes_rule, stack)
    })
    out.push("]")
  } else if (is_plain_object(value)) {
    out.push("{")
    let first = true
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue
      if (!first) out.push(", ")
      first = false
      out.push(python_json_string(key), ": ")
      write(item, out, bytes_rule, stack)
    }
    out.push("}")
  } else {
    throw unserializable(value)
  }
  stack.delete(value)
}

function is_plain_object(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function unserializable(value: unknown): SerializationError {
  const shown = typeof value === "number" ? String(value) : preview(value)
  return new SerializationError("BK_ERR_UNSERIALIZABLE", `cannot write ${shown} as JSON`)
}
