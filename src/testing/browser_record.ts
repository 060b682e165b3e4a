/**
 * What a browser connected to an AppTest received: every server message, decoded from the frames the
 * in-process websocket delivered (before the client applied them), and the PATCH-DOC events among them.
 */
import type { AnyMessage } from "../protocol/message.ts"
import { Receiver } from "../protocol/receiver.ts"

/** A position in the record (`at.mark()`), to ask for what arrived after it. */
export type Mark = number

/** One PATCH-DOC event as it went over the wire (JSON; binary arrays refer to `buffers` by id). */
export type PatchEvent = Readonly<Record<string, unknown>> & { readonly kind: string }

/** A short form of a patch event for assertions: `{kind: "ModelChanged", model: "freq", attr: "value"}`. */
export interface PatchSummary {
  readonly kind: string
  /** The model's name when it has one, else its id; null for document-level events (title, roots). */
  readonly model: string | null
  readonly attr: string | null
}

export class BrowserRecord {
  private readonly _receiver = new Receiver()
  readonly messages: AnyMessage[] = []

  /** Feeds one frame as the client got it. */
  consume(data: Buffer, is_binary: boolean): void {
    const message = this._receiver.consume(is_binary ? data : data.toString("utf8"))
    if (message !== null) this.messages.push(message)
  }

  mark(): Mark {
    return this.messages.length
  }

  /** The PATCH-DOC messages received after `since`. */
  patch_messages(since: Mark = 0): AnyMessage[] {
    return this.messages.slice(since).filter((m) => m.header.msgtype === "PATCH-DOC")
  }

  /** Every PATCH-DOC event received after `since`, in order. */
  patch_events(since: Mark = 0): PatchEvent[] {
    return this.patch_messages(since).flatMap((m) => (m.content as { events: PatchEvent[] }).events)
  }
}

/** Summarizes events; `name_of(id)` gives a model's name (or null). */
export function summarize(events: readonly PatchEvent[], name_of: (id: string) => string | null): PatchSummary[] {
  return events.map((e) => {
    const model = e["model"] as { id?: unknown } | undefined
    const id = model !== undefined && typeof model.id === "string" ? model.id : null
    const attr = typeof e["attr"] === "string" ? e["attr"] : null
    return { kind: e.kind, model: id === null ? null : (name_of(id) ?? id), attr }
  })
}
