/**
 * A document's state as plain JSON that two documents built the same way share even though their model
 * ids differ (each process tags its ids): every model and reference, numeric arrays as lists, ids
 * replaced by their order of first appearance (`#0`, `#1`, …). Tests compare the browser's copy with the
 * server's document, or the same scenario run against a live server and in an AppTest.
 */
import { Serializer } from "../core/serialization/serializer.ts"
import type { Document } from "../document/document.ts"

export function document_state(doc: Document): unknown {
  // A Serializer of our own, not doc.to_json(): that would mark every model as known to the peers.
  const s = new Serializer({ arrays: "lists" })
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
