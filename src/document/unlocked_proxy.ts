/**
 * What `curdoc()` returns inside a `without_document_lock` callback (Python's UnlockedDocumentProxy).
 * Such a callback runs while other callbacks may hold the lock, so the only safe operations are
 * scheduling and unscheduling next-tick callbacks (which run under the lock); anything else throws
 * instead of silently racing with locked code.
 */
import { DocumentError } from "../core/errors.ts"
import type { Callback, NextTickCallback } from "./callbacks.ts"
import type { Document } from "./document.ts"

export const UNSAFE_DOC_ATTR_USAGE_MSG =
  "Only 'add_next_tick_callback' may be used safely without taking the document lock; " +
  "to make other changes to the document, add a next tick callback and make your changes from that callback."

export class UnlockedDocumentProxy {
  readonly #doc: Document

  constructor(doc: Document) {
    this.#doc = doc
  }

  add_next_tick_callback(callback: Callback): NextTickCallback {
    return this.#doc.add_next_tick_callback(callback)
  }

  remove_next_tick_callback(callback: NextTickCallback): void {
    this.#doc.remove_next_tick_callback(callback)
  }
}

const allowed = new Set<PropertyKey>(["add_next_tick_callback", "remove_next_tick_callback", "constructor"])

/**
 * The proxy as app code sees it through `curdoc()`: typed as a Document (so app code type-checks the
 * same either way), but every member other than the two safe ones throws BK_ERR_DOCUMENT_LOCKED.
 */
export function unlocked_document(doc: Document): Document {
  const proxy = new UnlockedDocumentProxy(doc)
  return new Proxy(proxy, {
    get(target, key) {
      if (allowed.has(key)) {
        const value = Reflect.get(target, key, target) as unknown
        return typeof value === "function" ? value.bind(target) : value
      }
      // Symbols and `then` are probed by the runtime (inspection, `await`), not by app code.
      if (typeof key === "symbol" || key === "then") return undefined
      throw new DocumentError("BK_ERR_DOCUMENT_LOCKED", UNSAFE_DOC_ATTR_USAGE_MSG)
    },
    set() {
      throw new DocumentError("BK_ERR_DOCUMENT_LOCKED", UNSAFE_DOC_ATTR_USAGE_MSG)
    },
  }) as unknown as Document
}
