/**
 * Validation of the `stream` scenario's messages: every message after the pull must be a PATCH-DOC of
 * ColumnsStreamed events on the stream source, whose x and y columns travel as binary buffers
 * (`{"type":"ndarray"|"typed_array","array":{"type":"bytes","data":{"id":…}},"dtype":"float64"}` with the
 * bytes in a binary fragment), never as plain lists or inline base64.
 */
import type { AnyMessage } from "../../src/protocol/message.ts"
import type { ContentOf } from "../../src/protocol/msgtypes.ts"
import { BenchFailure } from "./types.ts"

const COLUMNS = ["x", "y"] as const

export interface StreamedRows {
  rows: number
  /** Bytes of the binary buffers the columns travelled in. */
  buffer_bytes: number
  /** x of the first and last row: the app's x counts up across ticks, so gaps show dropped ticks. */
  first_x: number
  last_x: number
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 160 ? `${s.slice(0, 160)}…` : s
}

/** `{type: "map", entries}` (Python, ours) or a plain object (allowed by the protocol) → entries by key. */
function map_entries(data: unknown, where: string): Map<string, unknown> {
  if (data !== null && typeof data === "object" && !Array.isArray(data)) {
    const o = data as Record<string, unknown>
    if (o["type"] === "map") return new Map((o["entries"] as Array<[string, unknown]> | undefined) ?? [])
    if (!("type" in o)) return new Map(Object.entries(o))
  }
  throw new BenchFailure(`${where}: ColumnsStreamed.data is not a map: ${short(data)}`)
}

/** One column rep → its buffer (checked: binary, float64, `expected_rows` long). */
function column_buffer(rep: unknown, m: AnyMessage, where: string, expected_rows: number): Uint8Array {
  const o = (rep !== null && typeof rep === "object" ? rep : {}) as Record<string, unknown>
  if (Array.isArray(rep) || (o["type"] !== "ndarray" && o["type"] !== "typed_array"))
    throw new BenchFailure(`${where}: not sent as a binary array (expected an ndarray rep with a buffer ref), got ${short(rep)}`)
  if (o["dtype"] !== "float64") throw new BenchFailure(`${where}: dtype ${short(o["dtype"])}, expected "float64"`)
  const array = (o["array"] ?? {}) as Record<string, unknown>
  const data = array["data"] as Record<string, unknown> | string | undefined
  if (Array.isArray(o["array"]) || array["type"] !== "bytes") throw new BenchFailure(`${where}: the array is a plain list, not bytes: ${short(o["array"])}`)
  if (typeof data === "string") throw new BenchFailure(`${where}: bytes sent inline as base64 (${data.length} chars), not as a binary buffer`)
  const id = data?.["id"]
  const buffer = typeof id === "string" ? m.buffers.get(id) : undefined
  if (buffer === undefined)
    throw new BenchFailure(`${where}: buffer ref ${short(data)} has no binary fragment in the message (has ${[...m.buffers.keys()].join(", ") || "none"})`)
  if (buffer.byteLength !== expected_rows * 8)
    throw new BenchFailure(`${where}: buffer of ${buffer.byteLength} bytes, expected ${expected_rows} float64 rows (${expected_rows * 8} bytes)`)
  const shape = o["shape"]
  if (o["type"] === "ndarray" && !(Array.isArray(shape) && shape.length === 1 && shape[0] === expected_rows))
    throw new BenchFailure(`${where}: shape ${short(shape)}, expected [${expected_rows}]`)
  if (o["order"] === "big") throw new BenchFailure(`${where}: big-endian buffer; this client reads little-endian only`)
  return buffer
}

function float64_at(buffer: Uint8Array, row: number): number {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength).getFloat64(row * 8, true)
}

/**
 * Checks one message and sums its ColumnsStreamed events. Throws a BenchFailure naming `label`
 * and what was wrong for an ERROR, another message type, another event kind or model, a column
 * that is not binary float64, or a row count other than `rows_per_event`.
 */
export function check_stream_patch(m: AnyMessage, source_id: string, rows_per_event: number, label: string): StreamedRows {
  if (m.header.msgtype === "ERROR") throw new BenchFailure(`${label}: the server sent ERROR "${(m.content as ContentOf["ERROR"]).text}" while streaming`)
  if (m.header.msgtype !== "PATCH-DOC") throw new BenchFailure(`${label}: expected only PATCH-DOC (ColumnsStreamed) while streaming, got ${m.header.msgtype}`)
  const events = (m.content as ContentOf["PATCH-DOC"]).events as ReadonlyArray<Record<string, unknown>>
  if (events.length === 0) throw new BenchFailure(`${label}: a PATCH-DOC with no events`)
  const out: StreamedRows = { rows: 0, buffer_bytes: 0, first_x: NaN, last_x: NaN }
  for (const e of events) {
    if (e["kind"] !== "ColumnsStreamed") throw new BenchFailure(`${label}: expected ColumnsStreamed events only, got ${short(e["kind"])}: ${short(e)}`)
    const model = e["model"] as { id?: unknown } | undefined
    if (model?.id !== source_id || e["attr"] !== "data")
      throw new BenchFailure(`${label}: ColumnsStreamed on ${short(model)}.${short(e["attr"])}, expected {"id":"${source_id}"}.data`)
    const columns = map_entries(e["data"], label)
    const buffers = COLUMNS.map((name) => {
      if (!columns.has(name)) throw new BenchFailure(`${label}: ColumnsStreamed lacks column "${name}" (has ${[...columns.keys()].join(", ")})`)
      return column_buffer(columns.get(name), m, `${label}: column "${name}"`, rows_per_event)
    })
    const x = buffers[0]!
    if (Number.isNaN(out.first_x)) out.first_x = float64_at(x, 0)
    else if (float64_at(x, 0) !== out.last_x + 1)
      throw new BenchFailure(`${label}: rows out of sequence inside one PATCH-DOC: x jumps from ${out.last_x} to ${float64_at(x, 0)}`)
    out.last_x = float64_at(x, rows_per_event - 1)
    const first = float64_at(x, 0)
    if (out.last_x !== first + rows_per_event - 1)
      throw new BenchFailure(
        `${label}: x is not consecutive within one ColumnsStreamed (first ${first}, last ${out.last_x}, ${rows_per_event} rows): wrong values`,
      )
    out.rows += rows_per_event
    out.buffer_bytes += buffers.reduce((n, b) => n + b.byteLength, 0)
  }
  return out
}
