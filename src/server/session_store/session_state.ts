/**
 * A session's document as a storable state, and the way back: `capture_document` serializes the whole
 * document (numeric arrays as binary buffers); `restore_document` applies a stored document over the
 * one the app just built for the same session id. Ids are deterministic per session, so every model
 * the app builds again keeps its identity (and the callbacks app code attached to it); models that
 * callbacks had added are created from the stored JSON, models they had removed are dropped with the
 * stored roots, and every stored property value replaces the built one.
 *
 * Values are restored silently: no `on_change` callback runs, because the stored state is already the
 * result of those callbacks (running them again could repeat side effects).
 */
import { HasProps } from "../../core/has_props.ts"
import { Deserializer } from "../../core/serialization/deserializer.ts"
import { Serializer, type Buffer_ } from "../../core/serialization/serializer.ts"
import { SerializationError } from "../../core/errors.ts"
import { BOKEHJS_VERSION } from "../../core/version.ts"
import { decode_document_parts, type DocJson } from "../../document/json.ts"
import type { Document } from "../../document/document.ts"

/** The document's JSON and buffers, without touching what peers are known to hold (unlike PULL-DOC). */
export function capture_document(doc: Document): { doc: DocJson; buffers: Buffer_[] } {
  const s = new Serializer({ arrays: "buffers" })
  const json: DocJson = { version: BOKEHJS_VERSION, title: doc.title, roots: doc.roots.map((r) => s.encode(r)) }
  if (doc.config !== null) json.config = s.encode(doc.config)
  if (doc.js_event_callbacks.size > 0) {
    const callbacks: Record<string, unknown[]> = {}
    for (const [name, list] of doc.js_event_callbacks) callbacks[name] = list.map((cb) => s.encode(cb))
    json.callbacks = callbacks
  }
  return { doc: json, buffers: s.buffers }
}

/**
 * Makes `doc` (freshly built by the app for this session) hold the stored document `json`. Decodes
 * everything first, so a bad state changes nothing (it throws a SerializationError).
 */
export function restore_document(doc: Document, json: unknown, buffers: ReadonlyMap<string, Uint8Array>): void {
  // The built document's models by id, config's included: a stored rep of one of them updates it in place.
  const built = new Map(doc.model_manager.current())
  if (doc.config !== null) collect(doc.config, built)
  const d = new Deserializer((id) => built.get(id), buffers, { update_known: true })
  const { roots: new_roots, title, config: new_config, callbacks: new_callbacks } = decode_document_parts(d, json, "stored document")
  for (const m of d.created) {
    const existing = built.get(m.id)
    if (existing !== undefined && existing.constructor !== m.constructor)
      throw new SerializationError("BK_ERR_MALFORMED_REP", `stored model ${m.id} has another type than the app's`)
  }
  // Everything decoded: now apply. Property values go in silently (see the module comment).
  for (const { model, attributes } of d.updates) {
    for (const [name, value] of Object.entries(attributes)) model._v[name] = value
  }
  // Detaching every root first makes add_root walk (and attach) every model the stored roots reach.
  doc.clear()
  for (const root of new_roots) doc.add_root(root)
  if (title !== undefined) doc.set_title(title)
  if (new_config !== null) doc.config = new_config
  doc.js_event_callbacks.clear()
  for (const [name, list] of new_callbacks) doc.js_event_callbacks.set(name, list)
  doc.model_manager.forget_known()
}

function collect(root: HasProps, into: Map<string, HasProps>): void {
  const seen = new Set<HasProps>()
  const stack = [root]
  while (stack.length > 0) {
    const m = stack.pop()!
    if (seen.has(m)) continue
    seen.add(m)
    into.set(m.id, m)
    m._visit_refs((r) => stack.push(r))
  }
}
