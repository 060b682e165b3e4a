/**
 * A Bokeh protocol message and its wire form (docs/protocol.md §3): three JSON text fragments
 * (header, metadata, content), then per buffer a text `{"id": ...}` and the binary payload.
 */

import { randomBytes } from "node:crypto"

import { ProtocolError, preview } from "../core/errors.ts"
import type { ContentOf, JSONObject, MsgType } from "./msgtypes.ts"

export interface Header<T extends MsgType = MsgType> {
  /** Unique per sender; replies echo it as `reqid`. */
  readonly msgid: string
  readonly msgtype: T
  /** On replies: the `msgid` of the request being answered. */
  readonly reqid?: string
  /** Present only when binary buffers follow the content. */
  readonly num_buffers?: number
}

/**
 * One message. Treat it as immutable once created: its wire fragments are computed once and
 * reused, so the same message can be sent to many connections cheaply.
 */
export interface Message<T extends MsgType = MsgType> {
  readonly header: Header<T>
  readonly metadata: JSONObject
  readonly content: ContentOf[T]
  /** Buffer id → bytes, in wire order; content refers to them as `{"type": "bytes", "data": {"id": ...}}`. */
  readonly buffers: ReadonlyMap<string, Uint8Array>
}

/** Any message, as a union over msgtypes; narrow it with `is_message`. */
export type AnyMessage = { [T in MsgType]: Message<T> }[MsgType]

export interface MessageOptions {
  /** The `msgid` of the request this message answers. */
  readonly reqid?: string
  /** Binary buffers, sent in this order. Ids must be unique within the message. */
  readonly buffers?: ReadonlyArray<{ readonly id: string; readonly data: Uint8Array }>
  /** Ignored by every Bokeh peer; `{}` by default. */
  readonly metadata?: JSONObject
}

/** One wire fragment: text fragments go in text frames, `Uint8Array`s in binary frames. */
export type Fragment = string | Uint8Array

/**
 * Creates a message with a fresh `msgid`. `content` must be plain JSON already (the
 * serializer's output): it is written with `JSON.stringify`.
 */
export function create_message<T extends MsgType>(msgtype: T, content: ContentOf[T], options: MessageOptions = {}): Message<T> {
  const buffers = new Map<string, Uint8Array>()
  for (const { id, data } of options.buffers ?? []) {
    if (typeof id !== "string" || buffers.has(id))
      throw new ProtocolError("BK_ERR_PROTOCOL", `buffer ids must be unique strings, got ${preview(id)} twice or of the wrong type`)
    buffers.set(id, data)
  }
  const header: { msgid: string; msgtype: T; reqid?: string; num_buffers?: number } = { msgid: make_msgid(), msgtype }
  if (options.reqid !== undefined) header.reqid = options.reqid
  if (buffers.size > 0) header.num_buffers = buffers.size
  return { header, metadata: options.metadata ?? {}, content, buffers }
}

/** Narrows a message to one msgtype. */
export function is_message<T extends MsgType>(message: Message, msgtype: T): message is Message<T> {
  return message.header.msgtype === msgtype
}

const fragments_cache = new WeakMap<Message, readonly Fragment[]>()

/**
 * The message's wire fragments in order: header, metadata and content JSON, then per buffer
 * its `{"id": ...}` text and its bytes. Computed on first use and cached for the message.
 */
export function message_fragments(message: Message): readonly Fragment[] {
  let fragments = fragments_cache.get(message)
  if (fragments === undefined) {
    const out: Fragment[] = [JSON.stringify(message.header), JSON.stringify(message.metadata), JSON.stringify(message.content)]
    for (const [id, data] of message.buffers) out.push(JSON.stringify({ id }), data)
    fragments = Object.freeze(out)
    fragments_cache.set(message, fragments)
  }
  return fragments
}

// A random per-process prefix keeps ids unique across processes and restarts; the counter
// keeps them unique within this one, at the cost of one string concatenation per message.
const msgid_prefix = randomBytes(6).toString("base64url")
let msgid_counter = 0

/** A new message id, unique for this sender. */
export function make_msgid(): string {
  msgid_counter += 1
  return `${msgid_prefix}${msgid_counter.toString(36)}`
}
