/**
 * Who hears about a `ClientSession`'s patches from the server and its errors that belong to no call.
 */

import type { BokehError } from "../core/errors.ts"

/** Receives errors that do not belong to a call: rejected patches, patches that fail to apply. */
export type SessionErrorListener = (error: BokehError) => void

export class SessionListeners {
  private readonly _errors = new Set<SessionErrorListener>()
  private readonly _patches = new Set<() => void>()

  /** Adds an error listener; returns a function that removes it. */
  on_error(listener: SessionErrorListener): () => void {
    this._errors.add(listener)
    return () => this._errors.delete(listener)
  }

  /** Adds a patch listener; returns a function that removes it. */
  on_patch(listener: () => void): () => void {
    this._patches.add(listener)
    return () => this._patches.delete(listener)
  }

  /** Tells the error listeners, or without any, warns naming the session (it keeps going either way). */
  report(error: BokehError, session_id: string): void {
    if (this._errors.size === 0) {
      console.warn(`bokeh-ts client session ${session_id}: ${error.code}: ${error.message}`)
      return
    }
    for (const listener of [...this._errors]) listener(error)
  }

  /** A server patch was applied (or failed to), or the connection ended: wakes the patch listeners. */
  patched(): void {
    for (const listener of [...this._patches]) listener()
  }
}
