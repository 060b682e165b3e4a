/**
 * `curdoc()`: the document app code is building. Inside a server session (or any `with_document`
 * context) it is that session's document; elsewhere a process-wide default document, as in Python.
 */
import { bound_document } from "../document/current.ts"
import { Document } from "../document/document.ts"

let default_document: Document | null = null

/** The current document. */
export function curdoc(): Document {
  return bound_document() ?? (default_document ??= new Document())
}

/** Replaces the process-wide default document (outside sessions). */
export function set_curdoc(doc: Document): void {
  default_document = doc
}
