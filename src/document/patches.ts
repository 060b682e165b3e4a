/**
 * JSON patches (PATCH-DOC content): created from a batch of events, and applied from a peer. Applying
 * decodes and checks every event before the first one changes anything, so a bad patch is rejected
 * whole (a coded error) instead of half-applied.
 */
import { DocumentError, preview } from "../core/errors.ts"
import { HasProps } from "../core/has_props.ts"
import { Deserializer } from "../core/serialization/deserializer.ts"
import { accept_peer_value, tolerated_message } from "../core/serialization/peer_values.ts"
import { Serializer, type ArrayEncoding, type Buffer_ } from "../core/serialization/serializer.ts"
import { check_patches, check_stream, type ColumnData } from "../core/util/column_data.ts"
import { is_plain_object } from "../core/util/types.ts"
import { log } from "../util/logging.ts"
import type { Document } from "./document.ts"
import type { DocumentPatchedEvent, Setter } from "./events.ts"

/** One event, encoded once, with the buffers it refers to. */
export interface EncodedEvent {
  readonly event: DocumentPatchedEvent
  readonly json: unknown
  readonly buffers: readonly Buffer_[]
}

/**
 * Encodes events in order with one serializer (a model goes in full the first time any event of the
 * batch mentions it and the peers don't have it yet); afterwards those models count as known.
 */
export function encode_events(doc: Document, events: readonly DocumentPatchedEvent[], arrays: ArrayEncoding = "buffers"): EncodedEvent[] {
  doc._current_models() // recomputes reachability if needed, so known ⊆ current models
  const s = new Serializer({ known: (m) => doc._known.has(m), arrays })
  const out: EncodedEvent[] = []
  for (const event of events) {
    const first = s.buffers.length
    const json = event.to_serializable(s)
    out.push({ event, json, buffers: s.buffers.slice(first) })
  }
  for (const m of s.emitted) if (m.document === doc) doc._known.add(m)
  return out
}

/** PATCH-DOC content for a batch: `{events}` plus buffers. */
export function create_json_patch(doc: Document, events: readonly DocumentPatchedEvent[], arrays: ArrayEncoding = "buffers"): { content: { events: unknown[] }; buffers: Buffer_[] } {
  const encoded = encode_events(doc, events, arrays)
  return { content: { events: encoded.map((e) => e.json) }, buffers: encoded.flatMap((e) => [...e.buffers]) }
}

type Decoded =
  | { kind: "ModelChanged"; model: HasProps; attr: string; value: unknown }
  | { kind: "ColumnDataChanged"; model: HasProps; attr: string; data: Record<string, unknown>; cols: string[] | null }
  | { kind: "ColumnsStreamed"; model: HasProps; attr: string; data: Record<string, unknown>; rollover: number | null }
  | { kind: "ColumnsPatched"; model: HasProps; attr: string; patches: Record<string, unknown> }
  | { kind: "RootAdded"; model: HasProps }
  | { kind: "RootRemoved"; model: HasProps }
  | { kind: "TitleChanged"; title: string }
  | { kind: "MessageSent"; msg_type: string; msg_data: unknown }

function bad(message: string): DocumentError {
  return new DocumentError("BK_ERR_BAD_EVENT", message)
}

function model_of(d: Deserializer, v: unknown, kind: string): HasProps {
  const m = d.decode(v)
  if (!(m instanceof HasProps)) throw bad(`${kind} event needs a model, got ${preview(v)}`)
  return m
}

function attr_of(v: unknown, kind: string): string {
  if (typeof v !== "string") throw bad(`${kind} event needs a string 'attr', got ${preview(v)}`)
  return v
}


function decode_event(d: Deserializer, ev: unknown): Decoded {
  if (!is_plain_object(ev)) throw bad(`a patch event must be an object, got ${preview(ev)}`)
  const kind = ev["kind"]
  switch (kind) {
    case "ModelChanged": {
      const model = model_of(d, ev["model"], kind)
      const attr = attr_of(ev["attr"], kind)
      return { kind, model, attr, value: accept_peer_value(model, attr, d.decode(ev["new"]), d.tolerated) }
    }
    case "ColumnDataChanged": {
      const model = model_of(d, ev["model"], kind)
      const data = d.decode(ev["data"])
      if (!is_plain_object(data)) throw bad("ColumnDataChanged needs a map of columns")
      const cols = ev["cols"] ?? null
      if (cols !== null && !(Array.isArray(cols) && cols.every((c) => typeof c === "string"))) throw bad("ColumnDataChanged 'cols' must be a list of names")
      return { kind, model, attr: attr_of(ev["attr"], kind), data, cols: cols as string[] | null }
    }
    case "ColumnsStreamed": {
      const model = model_of(d, ev["model"], kind)
      const data = d.decode(ev["data"])
      if (!is_plain_object(data)) throw bad("ColumnsStreamed needs a map of columns")
      const rollover = ev["rollover"] ?? null
      if (rollover !== null && typeof rollover !== "number") throw bad("ColumnsStreamed 'rollover' must be an integer or null")
      return { kind, model, attr: attr_of(ev["attr"], kind), data, rollover }
    }
    case "ColumnsPatched": {
      const model = model_of(d, ev["model"], kind)
      const patches = d.decode(ev["patches"])
      if (!is_plain_object(patches)) throw bad("ColumnsPatched needs a map of patches")
      return { kind, model, attr: attr_of(ev["attr"], kind), patches }
    }
    case "RootAdded":
    case "RootRemoved":
      return { kind, model: model_of(d, ev["model"], kind) }
    case "TitleChanged":
      if (typeof ev["title"] !== "string") throw bad("TitleChanged needs a string 'title'")
      return { kind, title: ev["title"] }
    case "MessageSent":
      if (typeof ev["msg_type"] !== "string") throw bad("MessageSent needs a string 'msg_type'")
      return { kind, msg_type: ev["msg_type"], msg_data: d.decode(ev["msg_data"]) }
    default:
      throw bad(`unknown patch event kind ${preview(kind)}`)
  }
}

function data_of(model: HasProps, attr: string): ColumnData {
  const data = model._get(attr)
  if (!is_plain_object(data)) throw bad(`${model}.${attr} is not column data`)
  return data as ColumnData
}

export interface ApplyPatchOptions {
  /**
   * The sender is the document's only peer (a client's server), so the models its patch created in full
   * are known to every peer and later patches send them as bare refs. On a server they are known only to
   * the sender until the relay to the other connections sends them in full (`encode_events`).
   */
  readonly sender_is_only_peer?: boolean
}

/**
 * Applies PATCH-DOC content from a peer. Changes carry `setter`, so they are not echoed back to it.
 * Resolves when UI event callbacks (which may be async) have finished.
 */
export async function apply_json_patch(doc: Document, content: unknown, buffers: ReadonlyMap<string, Uint8Array> = new Map(), setter: Setter = null, options: ApplyPatchOptions = {}): Promise<void> {
  if (!is_plain_object(content) || !Array.isArray(content["events"])) throw bad("PATCH-DOC content must be {events: [...]}")
  const d = new Deserializer((id) => doc.get_model_by_id(id) ?? undefined, buffers)
  const decoded = content["events"].map((ev) => decode_event(d, ev))
  for (const t of d.tolerated) log.warning(tolerated_message(t))
  // Check what can be checked against the current state before anything changes.
  for (const ev of decoded) {
    if (ev.kind === "ColumnsStreamed") check_stream(data_of(ev.model, ev.attr), ev.data, ev.rollover)
    else if (ev.kind === "ColumnsPatched") check_patches(data_of(ev.model, ev.attr), ev.patches)
    else if (ev.kind === "ColumnDataChanged") data_of(ev.model, ev.attr)
  }
  const pending: Array<Promise<void>> = []
  const previous = doc._setter
  doc._setter = setter
  try {
    for (const { model, attributes } of d.updates) for (const [k, v] of Object.entries(attributes)) model._set_from_wire(k, v)
    for (const ev of decoded) {
      switch (ev.kind) {
        case "ModelChanged":
          ev.model._set_from_wire(ev.attr, ev.value)
          break
        case "ColumnDataChanged": {
          const data = ev.cols !== null ? { ...data_of(ev.model, ev.attr), ...pick(ev.data, ev.cols) } : ev.data
          ev.model._set_from_wire(ev.attr, data)
          break
        }
        case "ColumnsStreamed":
          doc._stream(ev.model, ev.attr, ev.data, ev.rollover)
          break
        case "ColumnsPatched":
          doc._patch(ev.model, ev.attr, ev.patches)
          break
        case "RootAdded":
          doc.add_root(ev.model, setter)
          break
        case "RootRemoved":
          doc.remove_root(ev.model, setter)
          break
        case "TitleChanged":
          doc.set_title(ev.title, setter)
          break
        case "MessageSent":
          pending.push(doc._message_received(ev.msg_type, ev.msg_data))
          break
      }
    }
  } finally {
    doc._setter = previous
  }
  if (options.sender_is_only_peer === true) for (const m of d.created) if (m.document === doc) doc._known.add(m)
  await Promise.all(pending)
}

function pick(data: Record<string, unknown>, cols: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const c of cols) if (c in data) out[c] = data[c]
  return out
}
