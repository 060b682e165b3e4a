/**
 * Which document is "current" (what `curdoc()` returns): bound per async context with AsyncLocalStorage,
 * so concurrent sessions never see each other's document.
 */
import { AsyncLocalStorage } from "node:async_hooks"
import type { Document } from "./document.ts"
import { is_nolock } from "./locking.ts"
import { unlocked_document } from "./unlocked_proxy.ts"

const storage = new AsyncLocalStorage<Document>()

/** Runs `fn` (and everything it awaits or schedules) with `doc` as the current document. */
export function with_document<T>(doc: Document, fn: () => T): T {
  return storage.run(doc, fn)
}

/**
 * Runs app callback `callback` through `fn` with the current document bound as Python does: the
 * document itself, or for `without_document_lock` callbacks the proxy that only allows next-tick
 * scheduling (they run while locked code may be changing the document).
 */
export function with_callback_document<T>(doc: Document, callback: unknown, fn: () => T): T {
  return storage.run(is_nolock(callback) ? unlocked_document(doc) : doc, fn)
}

/** The document bound to the current async context, if any. */
export function bound_document(): Document | undefined {
  return storage.getStore()
}
