/**
 * JSON patches (PATCH-DOC content): created from a batch of events, and applied from a peer. Applying
 * decodes and checks every event before the first one changes anything, so a bad patch is rejected
 * whole (a coded error) instead of half-applied.
 */
import { TaskGroup, with_app_context } from "../core/app_context.ts"
import { CallbackError, DocumentError, ValidationError, preview } from "../core/errors.ts"
import { HasProps } from "../core/has_props.ts"
import { Deserializer } from "../core/serialization/deserializer.ts"
import { accept_peer_value, tolerated_message } from "../core/serialization/peer_values.ts"
import { Serializer, type ArrayEncoding, type Buffer_ } from "../core/serialization/serializer.ts"
import { apply_stream, check_patches, check_stream, is_column_data_source, patched_copy, type ColumnData } from "../core/util/column_data.ts"
import { has_own, set_own } from "../core/util/own.ts"
import { is_plain_object } from "../core/util/types.ts"
import { log } from "../util/logging.ts"
import type { Document } from "./document.ts"
import { ColumnsPatchedEvent, ColumnsStreamedEvent, ModelChangedEvent, type DocumentPatchedEvent, type Setter } from "./events.ts"

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
  const models = doc.model_manager
  models.current() // recomputes reachability if needed, so known ⊆ current models
  const known = (m: HasProps) => models.is_known(m)
  const s = new Serializer({ known, arrays })
  const out: EncodedEvent[] = []
  for (const event of events) {
    const first = s.buffers.length
    const json = encode_event(s, known, event)
    if (json !== null) out.push({ event, json, buffers: s.buffers.slice(first) })
  }
  for (const m of s.emitted) models.mark_known(m)
  return out
}

/**
 * One event for a peer that has the models `known` says. A model the peer lacks goes in full with its
 * current attributes, which already hold the rows every stream or patch of this batch added: such an
 * event would add them twice, so it is dropped when the model went in full earlier in the patch, and
 * sent as the attribute's current value otherwise (which carries the model in full). Null: dropped.
 */
export function encode_event(s: Serializer, known: (m: HasProps) => boolean, event: DocumentPatchedEvent): unknown {
  if ((event instanceof ColumnsStreamedEvent || event instanceof ColumnsPatchedEvent) && !known(event.model)) {
    if (s.emitted.has(event.model)) return null
    return new ModelChangedEvent(event.document, event.model, event.attr, undefined, event.model._get(event.attr), event.setter).to_serializable(s)
  }
  return event.to_serializable(s)
}

/** PATCH-DOC content for a batch: `{events}` plus buffers. */
export function create_json_patch(
  doc: Document,
  events: readonly DocumentPatchedEvent[],
  arrays: ArrayEncoding = "buffers",
): { content: { events: unknown[] }; buffers: Buffer_[] } {
  const encoded = encode_events(doc, events, arrays)
  return { content: { events: encoded.map((e) => e.json) }, buffers: encoded.flatMap((e) => [...e.buffers]) }
}

export interface ApplyPatchOptions {
  /**
   * The sender is the document's only peer (a client and its server, or a server session with one
   * connection), so the models its patch created in full are known to every peer and later patches send
   * them as bare refs. Otherwise they are known only to the sender until the relay to the other
   * connections sends them in full (`encode_events`).
   */
  readonly sender_is_only_peer?: boolean
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
      for (const c of (cols ?? []) as string[]) if (!has_own(data, c)) throw bad(`ColumnDataChanged 'cols' names ${preview(c)}, which its data lacks`)
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
  model._prop(attr) // a coded error for names the model lacks (`constructor`, …)
  // Other dict properties (`styles`, `js_property_callbacks`, …) are not column data, whatever they hold.
  if (attr !== "data" || !is_column_data_source(model)) throw bad(`${model}.${attr} is not a ColumnDataSource's data`)
  const data = model._get(attr)
  if (!is_plain_object(data)) throw bad(`${model}.${attr} is not column data`)
  return data as ColumnData
}

/**
 * Applies PATCH-DOC content from a peer in two steps: decode and check every event against the
 * current state (bad input throws before anything changes), then apply them in order. Every change
 * carries `setter` as an argument, so it is not echoed back to that peer; the setter is never stored
 * on the document, so code running later (callbacks, other peers' patches) can't inherit it.
 * Resolves when UI event and message callbacks (which may be async) have finished.
 */
export async function apply_json_patch(
  doc: Document,
  content: unknown,
  buffers: ReadonlyMap<string, Uint8Array> = new Map(),
  setter: Setter = null,
  options: ApplyPatchOptions = {},
): Promise<void> {
  const { d, decoded } = decode_patch(doc, content, buffers)
  // App callbacks the changes trigger can't interrupt applying them (call_app reports their
  // failures); their promises are awaited here, and their failures reported once more to the caller.
  const tasks = new TaskGroup()
  with_app_context({ tasks }, () => apply_decoded(doc, decoded, setter, tasks))
  if (options.sender_is_only_peer === true) for (const m of d.created) doc.model_manager.mark_known(m)
  await tasks.settle()
  if (tasks.failures.length > 0) throw new CallbackError(tasks.failures)
}

/**
 * Step 1: decodes every event and checks it against the state the events before it in the same patch
 * leave (see ColumnStates); changes nothing.
 */
function decode_patch(doc: Document, content: unknown, buffers: ReadonlyMap<string, Uint8Array>): { d: Deserializer; decoded: Decoded[] } {
  if (!is_plain_object(content) || !Array.isArray(content["events"])) throw bad("PATCH-DOC content must be {events: [...]}")
  const d = new Deserializer((id) => {
    const model = doc.get_model_by_id(id)
    if (model !== null) return model
    // Only ids the document doesn't have pay for the walk of the config's models (they are never among them).
    if (doc.model_manager.is_config_model_id(id)) throw bad(`model ${preview(id)} is the document config's, which patches can't change or reuse`)
    return undefined
  }, buffers)
  const decoded = content["events"].map((ev) => decode_event(d, ev))
  for (const t of d.tolerated) log.warning(tolerated_message(t))
  if (d.resent.length > 0) log.debug(`PATCH-DOC re-sent ${d.resent.length} known model(s) in full; their attributes are ignored`)
  const states = new ColumnStates(decoded)
  decoded.forEach((ev, i) => states.check(ev, i))
  return { d, decoded }
}

type DataEvent = Extract<Decoded, { attr: string }>

/**
 * The column data each ColumnDataSource event of a patch will meet when it is applied: the source's
 * data as the patch's earlier parts leave it (a model re-sent in full, a ModelChanged of the data, a
 * ColumnDataChanged, streams, row patches). Checking each event against it means a patch whose later
 * event would only fail after earlier ones changed the data (a patch past the end of data an earlier
 * event shortened) is refused before anything changes, and one that is valid in order (a patch of a
 * row an earlier stream added) is accepted. Only states a later event reads are simulated, and
 * simulating copies what it changes, never the source's own arrays.
 */
class ColumnStates {
  private readonly _states = new Map<HasProps, Map<string, ColumnData>>()
  private readonly _last = new Map<HasProps, Map<string, number>>()

  constructor(decoded: readonly Decoded[]) {
    decoded.forEach((ev, i) => {
      if ("attr" in ev) map_of(this._last, ev.model).set(ev.attr, i)
    })
  }

  /** Checks event `i` against the state it will meet, and records the state it leaves if a later event reads it. */
  check(ev: Decoded, i: number): void {
    if (!("attr" in ev)) return
    const later = this._read_later(ev.model, ev.attr, i)
    switch (ev.kind) {
      case "ModelChanged":
        if (later && is_plain_object(ev.value)) this._set(ev.model, ev.attr, ev.value as ColumnData)
        break
      case "ColumnDataChanged": {
        const next = check_value(ev.model, ev.attr, column_data_changed(ev, this._data(ev)))
        if (later) this._set(ev.model, ev.attr, next as ColumnData)
        break
      }
      case "ColumnsStreamed": {
        const data = this._data(ev)
        check_stream(data, ev.data, ev.rollover)
        if (later) {
          const next = { ...data }
          apply_stream(next, ev.data, ev.rollover) // replaces columns in `next` with new arrays
          this._set(ev.model, ev.attr, next)
        }
        break
      }
      case "ColumnsPatched": {
        const data = this._data(ev)
        check_patches(data, ev.patches)
        if (later) this._set(ev.model, ev.attr, patched_copy(data, ev.patches))
        break
      }
    }
  }

  private _data(ev: DataEvent): ColumnData {
    return this._states.get(ev.model)?.get(ev.attr) ?? data_of(ev.model, ev.attr)
  }

  private _set(model: HasProps, attr: string, data: ColumnData): void {
    map_of(this._states, model).set(attr, data)
  }

  private _read_later(model: HasProps, attr: string, i: number): boolean {
    return (this._last.get(model)?.get(attr) ?? -1) > i
  }
}

/** A ColumnDataChanged's resulting data, checked as any peer value is (ColumnDataSource.data is never tolerated wider). */
function check_value(model: HasProps, attr: string, value: unknown): unknown {
  return accept_peer_value(model, attr, value, [])
}

function map_of<V>(maps: Map<HasProps, Map<string, V>>, model: HasProps): Map<string, V> {
  let m = maps.get(model)
  if (m === undefined) maps.set(model, (m = new Map()))
  return m
}

/** Step 2: applies decoded events in order, each change carrying `setter`; message handlers join `tasks`. */
function apply_decoded(doc: Document, decoded: readonly Decoded[], setter: Setter, tasks: TaskGroup): void {
  for (const ev of decoded) apply_event(doc, ev, setter, tasks)
}

function apply_event(doc: Document, ev: Decoded, setter: Setter, tasks: TaskGroup): void {
  switch (ev.kind) {
    case "ModelChanged":
      ev.model._set_from_wire(ev.attr, ev.value, setter)
      break
    case "ColumnDataChanged": {
      ev.model._set_from_wire(ev.attr, check_value(ev.model, ev.attr, column_data_changed(ev)), setter)
      break
    }
    case "ColumnsStreamed":
      doc.callback_manager.stream(ev.model, ev.attr, ev.data, ev.rollover, setter)
      break
    case "ColumnsPatched":
      doc.callback_manager.patch(ev.model, ev.attr, ev.patches, setter)
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
      // UI events and messages are the peer's requests for app code to run: app code, no setter.
      tasks.add(doc.callback_manager.message_received(ev.msg_type, ev.msg_data))
      break
  }
}

/** The source's new data after a ColumnDataChanged: with `cols`, the `current` columns with those replaced (as BokehJS). */
function column_data_changed(ev: Extract<Decoded, { kind: "ColumnDataChanged" }>, current: ColumnData = data_of(ev.model, ev.attr)): Record<string, unknown> {
  if (ev.cols === null) return ev.data
  const out: Record<string, unknown> = { ...current }
  for (const c of ev.cols) set_own(out, c, ev.data[c])
  return out
}
