/**
 * Local document changes waiting to go to the server. Changes queued in the same tick go out together as
 * one PATCH-DOC (the connection flushes the outbox in a microtask, and before sending anything else, so
 * ordering holds); a change to another document flushes the first one's batch.
 */

import type { Document } from "../document/document.ts"
import type { DocumentPatchedEvent } from "../document/events.ts"

export interface PatchBatch {
  readonly document: Document
  readonly events: DocumentPatchedEvent[]
}

export class PatchOutbox {
  private _batch: PatchBatch | null = null

  /** `flush` takes the batch and sends it; it is called in a microtask after a batch starts. */
  constructor(private readonly _flush: () => void) {}

  add(document: Document, event: DocumentPatchedEvent): void {
    if (this._batch !== null && this._batch.document !== document) this._flush()
    if (this._batch === null) {
      this._batch = { document, events: [] }
      queueMicrotask(this._flush)
    }
    this._batch.events.push(event)
  }

  /** The changes queued so far (null if none), emptying the outbox. */
  take(): PatchBatch | null {
    const batch = this._batch
    this._batch = null
    return batch
  }
}
