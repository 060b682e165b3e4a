/**
 * Which document is "current" (what `curdoc()` returns): part of the app context (core/app_context.ts),
 * bound per async context, so concurrent sessions never see each other's document.
 */
import { app_context, app_stack, error_repr, set_fallback_fault_sink, with_app_context } from "../core/app_context.ts"
import { log } from "../util/logging.ts"
import type { Document } from "./document.ts"
import { is_nolock } from "./locking.ts"
import { unlocked_document } from "./unlocked_proxy.ts"

// App code failing outside any session (a standalone document, a client) is logged, not thrown.
set_fallback_fault_sink({
  report(error, where, during) {
    log.error(`error ${during}: ${where}: ${error_repr(error)}\n${app_stack(error)}`)
  },
})

/** Runs `fn` (and everything it awaits or schedules) with `doc` as the current document. */
export function with_document<T>(doc: Document, fn: () => T): T {
  return with_app_context({ document: doc }, fn)
}

/**
 * Runs app callback `callback` through `fn` with the current document bound as Python does: the
 * document itself, or for `without_document_lock` callbacks the proxy that only allows next-tick
 * scheduling (they run while locked code may be changing the document).
 */
export function with_callback_document<T>(doc: Document, callback: unknown, fn: () => T): T {
  return with_app_context({ document: is_nolock(callback) ? unlocked_document(doc) : doc }, fn)
}

/** The document bound to the current async context, if any. */
export function bound_document(): Document | undefined {
  return app_context()?.document as Document | undefined
}
