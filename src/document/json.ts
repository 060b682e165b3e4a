/**
 * Document JSON: `to_json` writes {version, title, roots, config, callbacks?}; `from_json` /
 * `replace_with_json` decode completely before touching the document, so bad input changes nothing.
 */
import { SerializationError, preview } from "../core/errors.ts"
import { HasProps } from "../core/has_props.ts"
import { resolve_model_class } from "../core/registry.ts"
import { Deserializer } from "../core/serialization/deserializer.ts"
import { tolerated_message } from "../core/serialization/peer_values.ts"
import { log } from "../util/logging.ts"
import { Serializer, type ArrayEncoding, type Buffer_ } from "../core/serialization/serializer.ts"
import { is_plain_object } from "../core/util/types.ts"
import { BOKEHJS_VERSION } from "../core/version.ts"
import type { Document } from "./document.ts"
import type { Setter } from "./events.ts"

export interface DocJson {
  version?: string
  title?: string
  roots: unknown[]
  callbacks?: Record<string, unknown[]>
  defs?: unknown[]
  config?: unknown
}

export interface DocJsonWithBuffers {
  doc: DocJson
  buffers: Buffer_[]
}

/** Serializes a whole document; every model goes in full. */
export function document_to_json(doc: Document, arrays: ArrayEncoding = "base64"): DocJsonWithBuffers {
  const s = new Serializer({ arrays })
  const json: DocJson = { version: BOKEHJS_VERSION, title: doc.title, roots: doc.roots.map((r) => s.encode(r)) }
  // Always written, as Python 3.9 and BokehJS 3.10 do: Python's Document.from_json reads the key
  // unconditionally. A document that never had one gets its own, kept so its id stays stable.
  doc.config ??= new (resolve_model_class("DocumentConfig") as new () => HasProps)()
  json.config = s.encode(doc.config)
  if (doc.js_event_callbacks.size > 0) {
    const callbacks: Record<string, unknown[]> = {}
    for (const [name, list] of doc.js_event_callbacks) callbacks[name] = list.map((cb) => s.encode(cb))
    json.callbacks = callbacks
  }
  doc.model_manager.mark_all_known()
  return { doc: json, buffers: s.buffers }
}

/**
 * Replaces the document's roots and title with those of `json` (decoded fully first). The changes
 * carry `setter` (the peer the JSON came from), so they are not sent back to it.
 */
export function replace_with_json(doc: Document, json: unknown, buffers: ReadonlyMap<string, Uint8Array> = new Map(), setter: Setter = null): void {
  const d = new Deserializer(() => undefined, buffers)
  const { roots: new_roots, title, config: new_config, callbacks: new_callbacks } = decode_document_parts(d, json, "document JSON")
  for (const t of d.tolerated) log.warning(tolerated_message(t))
  // Peers still hold the current models while they decode the replacement: an id they know must keep its type.
  for (const m of d.created) {
    const current = doc.get_model_by_id(m.id)
    if (current !== null && current.constructor !== m.constructor)
      throw new SerializationError(
        "BK_ERR_MALFORMED_REP",
        `model ${m.id} is a ${(current.constructor as typeof HasProps).__name__} in the document; the new document cannot make it a ${(m.constructor as typeof HasProps).__name__}`,
      )
  }
  if (new_config === null) {
    // The current config is kept (below): the new models must not take its ids.
    for (const m of d.created) {
      if (doc.model_manager.is_config_model_id(m.id))
        throw new SerializationError("BK_ERR_MALFORMED_REP", `model ${m.id} is the document config's; the new document cannot reuse its id`)
    }
  }
  doc.clear(setter)
  for (const root of new_roots) doc.add_root(root, setter)
  if (title !== undefined) doc.set_title(title, setter)
  // A peer's JSON without a config (Python's requires one; we are lenient) keeps the current one, so its id stays stable.
  if (new_config !== null) doc.config = new_config
  doc.js_event_callbacks.clear()
  for (const [name, list] of new_callbacks) doc.js_event_callbacks.set(name, list)
  doc.model_manager.mark_all_known()
}

/** A document JSON's parts, decoded by `d`: its roots, title, config and js_event_callbacks. */
export interface DocumentParts {
  readonly roots: HasProps[]
  readonly title: string | undefined
  readonly config: HasProps | null
  readonly callbacks: Map<string, HasProps[]>
}

/**
 * Checks the shape of a document JSON and decodes its parts with `d` (whose lookup decides what ids
 * resolve to); changes nothing. `what` names the JSON in error messages ("document JSON", "stored document").
 */
export function decode_document_parts(d: Deserializer, json: unknown, what: string): DocumentParts {
  const bad = (message: string) => new SerializationError("BK_ERR_MALFORMED_REP", `${what} ${message}`)
  if (!is_plain_object(json)) throw bad(`must be an object, got ${preview(json)}`)
  const { roots, title, callbacks, config } = json
  if (!Array.isArray(roots)) throw bad("needs a 'roots' list")
  if (title !== undefined && typeof title !== "string") throw bad("'title' must be a string")
  const new_roots = roots.map((r) => d.decode(r))
  if (!new_roots.every((r) => r instanceof HasProps)) throw bad("has a root that is not a model")
  const new_config = config === undefined || config === null ? null : d.decode(config)
  if (new_config !== null && !(new_config instanceof HasProps)) throw bad("'config' must be a DocumentConfig model")
  const new_callbacks = new Map<string, HasProps[]>()
  if (is_plain_object(callbacks)) {
    for (const [name, list] of Object.entries(callbacks)) {
      const decoded = Array.isArray(list) ? list.map((x) => d.decode(x)) : []
      new_callbacks.set(
        name,
        decoded.filter((x): x is HasProps => x instanceof HasProps),
      )
    }
  }
  return { roots: new_roots as HasProps[], title, config: new_config, callbacks: new_callbacks }
}
