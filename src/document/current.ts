/**
 * Which document is "current" (what `curdoc()` returns): bound per async context with AsyncLocalStorage,
 * so concurrent sessions never see each other's document.
 */
import { AsyncLocalStorage } from "node:async_hooks"
import type { Document } from "./document.ts"

const storage = new AsyncLocalStorage<Document>()

/** Runs `fn` (and everything it awaits or schedules) with `doc` as the current document. */
export function with_document<T>(doc: Document, fn: () => T): T {
  return storage.run(doc, fn)
}

/** The document bound to the current async context, if any. */
export function bound_document(): Document | undefined {
  return storage.getStore()
}
