/**
 * Document change events (docs/protocol.md §6). Patch events serialize to the JSON objects of a PATCH-DOC;
 * each carries the `setter` that caused it (a connection, or null for app code), so a change is never
 * echoed back to the connection it came from.
 */
import type { HasProps } from "../core/has_props.ts"
import type { Serializer } from "../core/serialization/serializer.ts"
import { concat_columns, type Column } from "../core/util/column_data.ts"
import type { SessionCallback } from "./callbacks.ts"
import type { Document } from "./document.ts"

export type Setter = unknown

export abstract class DocumentChangedEvent {
  constructor(
    readonly document: Document,
    readonly setter: Setter = null,
    /** Runs the model's own `on_change` callbacks, after the document's subscribers saw the event. */
    public callback_invoker: (() => void) | null = null,
  ) {}

  /**
   * Folds a later event into this one where the pair means the same as the later one alone
   * (`Document.hold("combine")`); true if it did. Most events never combine.
   */
  combine(_event: DocumentChangedEvent): boolean {
    return false
  }
}

export abstract class DocumentPatchedEvent extends DocumentChangedEvent {
  abstract readonly kind: string
  abstract to_serializable(serializer: Serializer): Record<string, unknown>
}

export class ModelChangedEvent extends DocumentPatchedEvent {
  readonly kind = "ModelChanged"
  constructor(
    document: Document,
    readonly model: HasProps,
    readonly attr: string,
    readonly old: unknown,
    public new_: unknown,
    setter?: Setter,
    invoker?: (() => void) | null,
  ) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model), attr: this.attr, new: s.encode_property(this.model, this.attr, this.new_) }
  }
  /** A later change of the same attribute by the same setter: only its value matters (as Python). */
  override combine(event: DocumentChangedEvent): boolean {
    if (!(event instanceof ModelChangedEvent) || event.setter !== this.setter || event.document !== this.document) return false
    if (event.model !== this.model || event.attr !== this.attr) return false
    this.new_ = event.new_
    this.callback_invoker = event.callback_invoker
    return true
  }
}

export class ColumnDataChangedEvent extends DocumentPatchedEvent {
  readonly kind = "ColumnDataChanged"
  constructor(
    document: Document,
    readonly model: HasProps,
    readonly attr: string,
    readonly data: Record<string, unknown>,
    readonly cols: string[] | null,
    setter?: Setter,
    invoker?: (() => void) | null,
  ) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    // `cols: null` (the whole column set) is written out, as Python does.
    return { kind: this.kind, model: s.encode(this.model), attr: this.attr, data: s.encode(this.data), cols: this.cols }
  }
}

export class ColumnsStreamedEvent extends DocumentPatchedEvent {
  readonly kind = "ColumnsStreamed"
  constructor(
    document: Document,
    readonly model: HasProps,
    readonly attr: string,
    public data: Record<string, unknown>,
    readonly rollover: number | null,
    setter?: Setter,
    invoker?: (() => void) | null,
  ) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model), attr: this.attr, data: s.encode(this.data), rollover: this.rollover }
  }
  /** Consecutive streams into the same columns with the same rollover are one longer stream. */
  override combine(event: DocumentChangedEvent): boolean {
    if (!(event instanceof ColumnsStreamedEvent) || event.setter !== this.setter || event.document !== this.document) return false
    if (event.model !== this.model || event.attr !== this.attr || event.rollover !== this.rollover) return false
    const keys = Object.keys(this.data)
    if (keys.length !== Object.keys(event.data).length || !keys.every((k) => k in event.data)) return false
    const data: Record<string, unknown> = {}
    // Joined as applying both would join them (dtypes kept: bool stays bool, typed stays typed).
    for (const k of keys) data[k] = concat_columns(this.data[k] as Column, event.data[k] as Column)
    this.data = data
    this.callback_invoker = event.callback_invoker
    return true
  }
}

export class ColumnsPatchedEvent extends DocumentPatchedEvent {
  readonly kind = "ColumnsPatched"
  constructor(
    document: Document,
    readonly model: HasProps,
    readonly attr: string,
    readonly patches: Record<string, unknown>,
    setter?: Setter,
    invoker?: (() => void) | null,
  ) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model), attr: this.attr, patches: s.encode(this.patches) }
  }
}

export class TitleChangedEvent extends DocumentPatchedEvent {
  readonly kind = "TitleChanged"
  constructor(
    document: Document,
    readonly title: string,
    setter?: Setter,
  ) {
    super(document, setter)
  }
  to_serializable(): Record<string, unknown> {
    return { kind: this.kind, title: this.title }
  }
}

export class RootAddedEvent extends DocumentPatchedEvent {
  readonly kind = "RootAdded"
  constructor(
    document: Document,
    readonly model: HasProps,
    setter?: Setter,
  ) {
    super(document, setter)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model) }
  }
}

export class RootRemovedEvent extends DocumentPatchedEvent {
  readonly kind = "RootRemoved"
  constructor(
    document: Document,
    readonly model: HasProps,
    setter?: Setter,
  ) {
    super(document, setter)
  }
  to_serializable(): Record<string, unknown> {
    return { kind: this.kind, model: { id: this.model.id } }
  }
}

export class MessageSentEvent extends DocumentPatchedEvent {
  readonly kind = "MessageSent"
  constructor(
    document: Document,
    readonly msg_type: string,
    readonly msg_data: unknown,
    setter?: Setter,
  ) {
    super(document, setter)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: this.kind, msg_type: this.msg_type }
    if (this.msg_data !== undefined) out["msg_data"] = s.encode(this.msg_data)
    return out
  }
}

/** Not sent on the wire: tells a server session to start or stop a callback. */
export class SessionCallbackAdded extends DocumentChangedEvent {
  constructor(
    document: Document,
    readonly callback: SessionCallback,
  ) {
    super(document)
  }
}
export class SessionCallbackRemoved extends DocumentChangedEvent {
  constructor(
    document: Document,
    readonly callback: SessionCallback,
  ) {
    super(document)
  }
}
