/**
 * Reassembles Bokeh messages from WebSocket fragments (docs/protocol.md §3.4):
 * header → metadata → content → ({"id"} text → binary payload) × num_buffers.
 */

import { ProtocolError, preview } from "../core/errors.ts"
import type { CodeOf } from "../core/errors.ts"
import type { AnyMessage, Header } from "./message.ts"
import { check_content, is_msgtype, is_object } from "./msgtypes.ts"
import type { JSONObject, MsgType } from "./msgtypes.ts"

// Receiver states: which fragment is expected next.
const HEADER = 0
const METADATA = 1
const CONTENT = 2
const BUFFER_HEADER = 3
const BUFFER_PAYLOAD = 4
type State = typeof HEADER | typeof METADATA | typeof CONTENT | typeof BUFFER_HEADER | typeof BUFFER_PAYLOAD

const expected_text: Record<State, string> = {
  [HEADER]: "a header",
  [METADATA]: "metadata",
  [CONTENT]: "content",
  [BUFFER_HEADER]: "a buffer header",
  [BUFFER_PAYLOAD]: "a buffer payload",
}

/**
 * Feed it every fragment of one connection, in order. Text frames must be passed as strings
 * (with `ws`, convert when `isBinary` is false) and binary frames as bytes.
 *
 * Any violation throws a `ProtocolError` (see `close_code_for` for the close code to send)
 * and drops the partial message; the connection should then be closed, as both Python Bokeh
 * and BokehJS do.
 */
export class Receiver {
  private _state: State = HEADER
  private _header: Header | null = null
  private _metadata: JSONObject = {}
  private _content: JSONObject = {}
  private _num_buffers = 0
  private _buffer_id = ""
  private _buffers = new Map<string, Uint8Array>()

  /** Consumes one fragment; returns the message it completes, or `null` if more are needed. */
  consume(fragment: string | Uint8Array | ArrayBuffer): AnyMessage | null {
    try {
      return typeof fragment === "string" ? this._text(fragment) : this._binary(fragment)
    } catch (error) {
      this._reset()
      throw error
    }
  }

  /** Whether a message has been started but not completed. */
  get partial(): boolean {
    return this._state !== HEADER
  }

  private _text(text: string): AnyMessage | null {
    switch (this._state) {
      case HEADER:
        this._header = parse_header(text)
        this._num_buffers = this._header.num_buffers ?? 0
        this._state = METADATA
        return null
      case METADATA:
        this._metadata = parse_object(text, "metadata")
        this._state = CONTENT
        return null
      case CONTENT: {
        this._content = parse_object(text, "content")
        check_content(this._header!.msgtype, this._content)
        if (this._num_buffers === 0) return this._emit()
        this._state = BUFFER_HEADER
        return null
      }
      case BUFFER_HEADER:
        this._buffer_id = parse_buffer_header(text, this._buffers)
        this._state = BUFFER_PAYLOAD
        return null
      case BUFFER_PAYLOAD:
        throw error("BK_ERR_FRAGMENT_ORDER", `expected a binary buffer payload but got text ${preview(text)}; buffers must be sent as binary frames`)
    }
  }

  private _binary(fragment: Uint8Array | ArrayBuffer): AnyMessage | null {
    if (!(fragment instanceof Uint8Array || fragment instanceof ArrayBuffer))
      throw error("BK_ERR_PROTOCOL", `a fragment must be a string or bytes, got ${preview(fragment)}`)
    if (this._state !== BUFFER_PAYLOAD)
      throw error(
        "BK_ERR_FRAGMENT_ORDER",
        `expected ${expected_text[this._state]} text fragment but got ${fragment.byteLength} binary bytes; JSON parts must be sent as text frames`,
      )
    // A fresh ArrayBuffer: never a view into Node's shared pool, and 8-byte aligned, so typed
    // arrays of any element size can be built on it directly.
    const bytes = new Uint8Array(fragment.byteLength)
    bytes.set(fragment instanceof Uint8Array ? fragment : new Uint8Array(fragment))
    this._buffers.set(this._buffer_id, bytes)
    if (this._buffers.size === this._num_buffers) return this._emit()
    this._state = BUFFER_HEADER
    return null
  }

  private _emit(): AnyMessage {
    const message = { header: this._header!, metadata: this._metadata, content: this._content, buffers: this._buffers }
    this._reset()
    // check_content has verified that the content fits the header's msgtype.
    return message as AnyMessage
  }

  private _reset(): void {
    this._state = HEADER
    this._header = null
    this._metadata = {}
    this._content = {}
    this._num_buffers = 0
    this._buffer_id = ""
    this._buffers = new Map()
  }
}

function parse_header(text: string): Header {
  const header = parse_json(text, "BK_ERR_BAD_HEADER", "header")
  if (!is_object(header)) throw error("BK_ERR_BAD_HEADER", `a message header must be a JSON object, got ${preview(header)}`)
  const { msgid, msgtype, reqid, num_buffers } = header
  if (typeof msgid !== "string" || msgid === "") throw error("BK_ERR_BAD_HEADER", `a message header needs a non-empty "msgid" string: ${preview(header)}`)
  if (typeof msgtype !== "string") throw error("BK_ERR_BAD_HEADER", `a message header needs a "msgtype" string: ${preview(header)}`)
  if (!is_msgtype(msgtype)) throw error("BK_ERR_UNKNOWN_MESSAGE_TYPE", `unknown msgtype ${preview(msgtype)}`)
  if (reqid !== undefined && typeof reqid !== "string") throw error("BK_ERR_PROTOCOL", `"reqid" must be a string: ${preview(header)}`)
  if (num_buffers !== undefined && !(Number.isSafeInteger(num_buffers) && (num_buffers as number) >= 0))
    throw error("BK_ERR_PROTOCOL", `"num_buffers" must be a non-negative integer: ${preview(header)}`)
  return header as unknown as Header<MsgType>
}

function parse_object(text: string, what: "metadata" | "content"): JSONObject {
  const value = parse_json(text, "BK_ERR_BAD_JSON", what)
  if (!is_object(value)) throw error("BK_ERR_PROTOCOL", `message ${what} must be a JSON object, got ${preview(value)}`)
  return value
}

// Returns the buffer's id. Python accepts exactly the key set {"id"}; ids are opaque strings.
function parse_buffer_header(text: string, seen: ReadonlyMap<string, Uint8Array>): string {
  const value = parse_json(text, "BK_ERR_BAD_JSON", "buffer header")
  if (!is_object(value)) throw error("BK_ERR_PROTOCOL", `a buffer header must be a JSON object, got ${preview(value)}`)
  const keys = Object.keys(value)
  if (keys.length !== 1 || keys[0] !== "id") throw error("BK_ERR_PROTOCOL", `a buffer header must have exactly the key "id": ${preview(value)}`)
  const id = value["id"]
  if (typeof id !== "string") throw error("BK_ERR_PROTOCOL", `a buffer id must be a string: ${preview(value)}`)
  if (seen.has(id)) throw error("BK_ERR_PROTOCOL", `buffer id ${preview(id)} appears twice in one message`)
  return id
}

function parse_json(text: string, code: CodeOf<"ProtocolError">, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw error(code, `message ${what} is not JSON: ${preview(text)}`, cause)
  }
}

function error(code: CodeOf<"ProtocolError">, message: string, cause?: unknown): ProtocolError {
  return new ProtocolError(code, message, cause === undefined ? undefined : { cause })
}
