/**
 * JSON patches (PATCH-DOC content): created from a batch of events, and applied from a peer. Applying
 * decodes and checks every event before the first one changes anything, so a bad patch is rejected
 * whole (a coded error) instead of half-applied.
 */
import { TaskGroup, with_app_context } from "../core/app_context.ts"
import { CallbackError, preview } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import { Deserializer } from "../core/serialization/deserializer.ts"
import { tolerated_message } from "../core/serialization/peer_values.ts"
import { Serializer, type ArrayEncoding, type Buffer_ } from "../core/serialization/serializer.ts"
import { is_plain_object } from "../core/util/types.ts"
import { log } from "../util/logging.ts"
import { ColumnStates } from "./column_states.ts"
import type { Document } from "./document.ts"
import { ColumnsPatchedEvent, ColumnsStreamedEvent, ModelChangedEvent, type DocumentPatchedEvent, type Setter } from "./events.ts"
import { bad, check_value, column_data_changed, decode_patch_event, type DecodedEvent } from "./patch_events.ts"

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
function decode_patch(doc: Document, content: unknown, buffers: ReadonlyMap<string, Uint8Array>): { d: Deserializer; decoded: DecodedEvent[] } {
  if (!is_plain_object(content) || !Array.isArray(content["events"])) throw bad("PATCH-DOC content must be {events: [...]}")
  const d = new Deserializer((id) => {
    const model = doc.get_model_by_id(id)
    if (model !== null) return model
    // Only ids the document doesn't have pay for the walk of the config's models (they are never among them).
    if (doc.model_manager.is_config_model_id(id)) throw bad(`model ${preview(id)} is the document config's, which patches can't change or reuse`)
    return undefined
  }, buffers)
  const decoded = content["events"].map((ev) => decode_patch_event(d, ev))
  for (const t of d.tolerated) log.warning(tolerated_message(t))
  if (d.resent.length > 0) log.debug(`PATCH-DOC re-sent ${d.resent.length} known model(s) in full; their attributes are ignored`)
  const states = new ColumnStates(decoded)
  decoded.forEach((ev, i) => states.check(ev, i))
  return { d, decoded }
}

/** Step 2: applies decoded events in order, each change carrying `setter`; message handlers join `tasks`. */
function apply_decoded(doc: Document, decoded: readonly DecodedEvent[], setter: Setter, tasks: TaskGroup): void {
  for (const ev of decoded) apply_event(doc, ev, setter, tasks)
}

function apply_event(doc: Document, ev: DecodedEvent, setter: Setter, tasks: TaskGroup): void {
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
