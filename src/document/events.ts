/**
 * Document change events (protocol §6). Patch events serialize to the JSON objects of a PATCH-DOC;
 * each carries the `setter` that caused it (a connection, or null for app code), so a change is never
 * echoed back to the connection it came from.
 */
import type { HasProps } from "../core/has_props.ts"
import type { Serializer } from "../core/serialization/serializer.ts"
import type { SessionCallback } from "./callbacks.ts"
import type { Document } from "./document.ts"

export type Setter = unknown

export abstract class DocumentChangedEvent {
  constructor(
    readonly document: Document,
    readonly setter: Setter = null,
    /** Runs the model's own `on_change` callbacks, after the document's subscribers saw the event. */
    readonly callback_invoker: (() => void) | null = null,
  ) {}
}

export abstract class DocumentPatchedEvent extends DocumentChangedEvent {
  abstract readonly kind: string
  abstract to_serializable(serializer: Serializer): Record<string, unknown>
}

export class ModelChangedEvent extends DocumentPatchedEvent {
  readonly kind = "ModelChanged"
  constructor(document: Document, readonly model: HasProps, readonly attr: string, readonly old: unknown, readonly new_: unknown, setter?: Setter, invoker?: (() => void) | null) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model), attr: this.attr, new: s.encode_property(this.model, this.attr, this.new_) }
  }
}

export class ColumnDataChangedEvent extends DocumentPatchedEvent {
  readonly kind = "ColumnDataChanged"
  constructor(document: Document, readonly model: HasProps, readonly attr: string, readonly data: Record<string, unknown>, readonly cols: string[] | null, setter?: Setter, invoker?: (() => void) | null) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: this.kind, model: s.encode(this.model), attr: this.attr, data: s.encode(this.data) }
    if (this.cols !== null) out["cols"] = this.cols
    return out
  }
}

export class ColumnsStreamedEvent extends DocumentPatchedEvent {
  readonly kind = "ColumnsStreamed"
  constructor(document: Document, readonly model: HasProps, readonly attr: string, readonly data: Record<string, unknown>, readonly rollover: number | null, setter?: Setter, invoker?: (() => void) | null) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model), attr: this.attr, data: s.encode(this.data), rollover: this.rollover }
  }
}

export class ColumnsPatchedEvent extends DocumentPatchedEvent {
  readonly kind = "ColumnsPatched"
  constructor(document: Document, readonly model: HasProps, readonly attr: string, readonly patches: Record<string, unknown>, setter?: Setter, invoker?: (() => void) | null) {
    super(document, setter, invoker)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model), attr: this.attr, patches: s.encode(this.patches) }
  }
}

export class TitleChangedEvent extends DocumentPatchedEvent {
  readonly kind = "TitleChanged"
  constructor(document: Document, readonly title: string, setter?: Setter) {
    super(document, setter)
  }
  to_serializable(): Record<string, unknown> {
    return { kind: this.kind, title: this.title }
  }
}

export class RootAddedEvent extends DocumentPatchedEvent {
  readonly kind = "RootAdded"
  constructor(document: Document, readonly model: HasProps, setter?: Setter) {
    super(document, setter)
  }
  to_serializable(s: Serializer): Record<string, unknown> {
    return { kind: this.kind, model: s.encode(this.model) }
  }
}

export class RootRemovedEvent extends DocumentPatchedEvent {
  readonly kind = "RootRemoved"
  constructor(document: Document, readonly model: HasProps, setter?: Setter) {
    super(document, setter)
  }
  to_serializable(): Record<string, unknown> {
    return { kind: this.kind, model: { id: this.model.id } }
  }
}

export class MessageSentEvent extends DocumentPatchedEvent {
  readonly kind = "MessageSent"
  constructor(document: Document, readonly msg_type: string, readonly msg_data: unknown, setter?: Setter) {
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
  constructor(document: Document, readonly callback: SessionCallback) {
    super(document)
  }
}
export class SessionCallbackRemoved extends DocumentChangedEvent {
  constructor(document: Document, readonly callback: SessionCallback) {
    super(document)
  }
}
