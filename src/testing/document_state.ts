/**
 * A document's state as plain JSON that two documents built the same way share even though their model
 * ids differ (each process tags its ids): every model with the value of every property (a default and
 * the same value set explicitly read the same), numeric arrays as lists, and ids replaced by their order
 * of first appearance (`#0`, `#1`, …). Tests compare the browser's copy with the server's document, or
 * the same scenario run against a live server and in an AppTest.
 */
import { HasProps, ModelDefault, REQUIRED, type PropDef } from "../core/has_props.ts"
import { Serializer } from "../core/serialization/serializer.ts"
import { ClientError } from "../core/errors.ts"
import type { Document } from "../document/document.ts"

/** Serializes models with all their properties; reads nothing through getters (they store mutable defaults). */
class StateSerializer extends Serializer {
  private readonly _seen = new Set<HasProps>()

  constructor() {
    super({ arrays: "lists" })
  }

  override encode(value: unknown): unknown {
    return value instanceof HasProps ? this._model(value) : super.encode(value)
  }

  private _model(model: HasProps): unknown {
    if (this._seen.has(model)) return { id: model.id }
    this._seen.add(model)
    const cls = model.constructor as typeof HasProps & { __name__: string; __props__: Readonly<Record<string, PropDef>> }
    const attributes: Record<string, unknown> = {}
    for (const name of Object.keys(cls.__props__).sort()) {
      const prop = cls.__props__[name]!
      const value = name in model._v ? model._v[name] : prop.default === REQUIRED || prop.default instanceof ModelDefault ? undefined : prop.default
      if (value !== undefined) attributes[name] = this.encode_property(model, name, value)
    }
    return { type: "object", name: cls.__name__, id: model.id, attributes }
  }
}

export function document_state(doc: Document): unknown {
  // Not doc.to_json(): that would also mark every model as known to the peers.
  const s = new StateSerializer()
  const json = { title: doc.title, roots: doc.roots.map((r) => s.encode(r)) }
  const ids = new Map<string, string>()
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename)
    if (typeof value !== "object" || value === null) return value
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (k === "id" && typeof v === "string") {
        if (!ids.has(v)) ids.set(v, `#${ids.size}`)
        out[k] = ids.get(v)
      } else out[k] = rename(v)
    }
    return out
  }
  return rename(json)
}

/**
 * Throws unless every browser's copy of the document equals the server's (see `AppTest.check_in_sync`),
 * showing where the first one differs.
 */
export function check_in_sync(server: Document, browsers: readonly Document[]): void {
  const expected = JSON.stringify(document_state(server))
  for (const [i, doc] of browsers.entries()) {
    const browser = JSON.stringify(document_state(doc))
    if (expected !== browser)
      throw new ClientError("BK_ERR_SERVER_ERROR", `browser ${i}'s document differs from the server's:\n${first_difference(expected, browser)}`)
  }
}

/** Where two JSON texts first differ, with some context. */
function first_difference(a: string, b: string): string {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const from = Math.max(0, i - 80)
  return `server:  …${a.slice(from, i + 80)}…\nbrowser: …${b.slice(from, i + 80)}…`
}
