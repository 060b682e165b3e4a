/**
 * `PatchCoalescer`: what a connection that cannot take more bytes owes its peer, kept as the least
 * that brings the peer up to date instead of as queued messages. Only the newest value of each model
 * attribute is kept (read from the document when the patch is finally built), consecutive streams
 * into one column data fold into one stream, and root and title changes become the difference
 * between the roots the peer has and the current ones. Its size is bounded by the document, not by
 * how much the app sends: a stream fold that outgrows its limit becomes a replacement of the whole
 * attribute, and only MessageSent events (which cannot be folded) can overflow, after which the
 * connection must resync (be closed so the peer reconnects and pulls the document again).
 */
import type { HasProps } from "../core/has_props.ts"
import { Serializer, type Buffer_ } from "../core/serialization/serializer.ts"
import { concat_columns, type Column } from "../core/util/column_data.ts"
import type { Document } from "../document/document.ts"
import { encode_event } from "../document/patches.ts"
import {
  ColumnDataChangedEvent,
  ColumnsPatchedEvent,
  ColumnsStreamedEvent,
  MessageSentEvent,
  ModelChangedEvent,
  RootAddedEvent,
  RootRemovedEvent,
  TitleChangedEvent,
  type DocumentPatchedEvent,
  type Setter,
} from "../document/events.ts"

/** The newest state of one model attribute the peer has not seen yet. */
type Pending =
  /** send the attribute's current value */
  | { readonly kind: "replace"; readonly model: HasProps; readonly attr: string }
  /** send these rows as one stream */
  | { readonly kind: "stream"; readonly model: HasProps; readonly attr: string; data: Record<string, unknown>; readonly rollover: number | null; bytes: number }

export interface CoalescerLimits {
  /** Bytes of folded stream rows kept per attribute before it becomes a whole replacement. */
  readonly max_stream_bytes: number
  /** MessageSent events kept before the connection must resync. */
  readonly max_messages: number
}

export class PatchCoalescer {
  /** Models the peer had when coalescing started: later ones go in full when the patch is built. */
  private readonly _known: ReadonlySet<HasProps>
  private readonly _roots: readonly HasProps[]
  private readonly _title: string
  private readonly _pending = new Map<string, Pending>()
  private readonly _messages: MessageSentEvent[] = []
  private _overflowed = false
  /** Events taken in (a statistic). */
  events = 0

  constructor(
    private readonly _doc: Document,
    private readonly _setter: Setter,
    private readonly _limits: CoalescerLimits,
  ) {
    this._known = _doc.model_manager.known_snapshot()
    this._roots = [..._doc.roots]
    this._title = _doc.title
  }

  /** True when something could not be folded: the peer can only catch up by pulling the document again. */
  get overflowed(): boolean {
    return this._overflowed
  }

  /** Attributes (and messages) waiting: the size of what is kept, apart from folded stream rows. */
  get size(): number {
    return this._pending.size + this._messages.length
  }

  /** Bytes of folded stream rows kept. */
  get stream_bytes(): number {
    let n = 0
    for (const p of this._pending.values()) if (p.kind === "stream") n += p.bytes
    return n
  }

  add(events: readonly DocumentPatchedEvent[]): void {
    for (const event of events) {
      this.events += 1
      this._add(event)
    }
  }

  private _add(event: DocumentPatchedEvent): void {
    // Roots and title are compared with what the peer had when the patch is built.
    if (event instanceof RootAddedEvent || event instanceof RootRemovedEvent || event instanceof TitleChangedEvent) return
    if (event instanceof MessageSentEvent) {
      if (event.setter === this._setter) return
      if (this._messages.length >= this._limits.max_messages) this._overflowed = true
      else this._messages.push(event)
      return
    }
    if (
      !(
        event instanceof ModelChangedEvent ||
        event instanceof ColumnDataChangedEvent ||
        event instanceof ColumnsStreamedEvent ||
        event instanceof ColumnsPatchedEvent
      )
    )
      return
    const key = `${event.model.id}\u0000${event.attr}`
    const before = this._pending.get(key)
    const own = event.setter === this._setter
    if (own) {
      // The peer applied its own change already; a fold kept for it would land in the wrong order.
      if (before !== undefined) this._pending.set(key, { kind: "replace", model: event.model, attr: event.attr })
      return
    }
    if (event instanceof ColumnsStreamedEvent) {
      if (before === undefined) {
        this._pending.set(key, {
          kind: "stream",
          model: event.model,
          attr: event.attr,
          data: { ...event.data },
          rollover: event.rollover,
          bytes: data_bytes(event.data),
        })
        return
      }
      if (before.kind === "stream" && before.rollover === event.rollover && same_columns(before.data, event.data)) {
        const bytes = before.bytes + data_bytes(event.data)
        if (bytes <= this._limits.max_stream_bytes) {
          for (const k of Object.keys(before.data)) before.data[k] = concat_columns(before.data[k] as Column, event.data[k] as Column)
          before.bytes = bytes
          return
        }
      }
    }
    // Anything else (a new value, changed or patched columns, a stream that cannot fold): the current value says it all.
    // Delete first so the key moves to the end: a model introduced by a later change of another attribute goes in before it is referenced.
    this._pending.delete(key)
    this._pending.set(key, { kind: "replace", model: event.model, attr: event.attr })
  }

  /**
   * The events that bring the peer from where it was to the current document, encoded with what the
   * peer knows (models it never got go in full). Call holding the document lock.
   */
  build(): { events: unknown[]; buffers: Buffer_[] } {
    const doc = this._doc
    const current = doc.model_manager.current()
    const known = (m: HasProps) => this._known.has(m) && doc.model_manager.is_known(m)
    const s = new Serializer({ known, arrays: "buffers" })
    const out: DocumentPatchedEvent[] = []
    const roots = doc.roots
    for (const r of this._roots) if (!roots.includes(r)) out.push(new RootRemovedEvent(doc, r))
    for (const p of this._pending.values()) {
      // A model that left the document needs nothing: the peer drops it with whatever held it.
      if (current.get(p.model.id) !== p.model) continue
      if (p.kind === "stream") out.push(new ColumnsStreamedEvent(doc, p.model, p.attr, p.data, p.rollover))
      else out.push(new ModelChangedEvent(doc, p.model, p.attr, undefined, p.model._get(p.attr)))
    }
    for (const r of roots) if (!this._roots.includes(r)) out.push(new RootAddedEvent(doc, r))
    if (doc.title !== this._title) out.push(new TitleChangedEvent(doc, doc.title))
    out.push(...this._messages)
    const events = out.map((e) => encode_event(s, known, e)).filter((e) => e !== null)
    return { events, buffers: s.buffers }
  }
}

function same_columns(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k))
}

/** Approximate bytes of stream rows: typed arrays exactly, lists at 8 bytes an item. */
function data_bytes(data: Record<string, unknown>): number {
  let n = 0
  for (const v of Object.values(data)) {
    if (ArrayBuffer.isView(v)) n += v.byteLength
    else if (Array.isArray(v)) n += 8 * v.length
    else n += 8
  }
  return n
}
