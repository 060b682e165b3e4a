/**
 * The part of AppTest's API that is the browser the test opened with (`at.browser`): its copy of the
 * document, what it received, and the steps it takes (`at.set(...)` is `at.browser.set(...)`).
 */
import type { ClientSession } from "../client/session.ts"
import type { BokehEvent, EventValues } from "../core/bokeh_events.ts"
import type { Document } from "../document/document.ts"
import type { AnyMessage } from "../protocol/message.ts"
import type { Mark, PatchEvent, PatchSummary } from "./browser_record.ts"
import type { ModelRef, TestBrowser } from "./test_browser.ts"

export abstract class FirstBrowser {
  /** The browser the test opened with. */
  abstract get browser(): TestBrowser

  /** The first browser's copy of the document, built only from what the server sent it. */
  get browser_document(): Document {
    return this.browser.document
  }

  /** The protocol client standing in for the first browser. */
  get client(): ClientSession {
    return this.browser.client
  }

  /** Every message the first browser received, decoded (ACK, PULL-DOC-REPLY, PATCH-DOC, OK, …). */
  get messages(): readonly AnyMessage[] {
    return this.browser.messages
  }

  /** A position in what the first browser received; pass it to `patches`/`changes` for what came after. */
  mark(): Mark {
    return this.browser.mark()
  }

  /** The PATCH-DOC events the first browser received after `since` (everything by default), as sent. */
  patches(since: Mark = 0): PatchEvent[] {
    return this.browser.patches(since)
  }

  /** Those events in short: `{kind: "ModelChanged", model: "title", attr: "text"}` (a model's name, else its id). */
  changes(since: Mark = 0): PatchSummary[] {
    return this.browser.changes(since)
  }

  /** Sets properties of a model as a user's input does: a PATCH-DOC from the browser, so on_change runs on the server. */
  set(target: ModelRef, values: Record<string, unknown>): Promise<void> {
    return this.browser.set(target, values)
  }

  /** A button click (ButtonClick on the model): its `on_click`/`on_event` callbacks run on the server. */
  click(target: ModelRef): Promise<void> {
    return this.browser.click(target)
  }

  /**
   * A UI event on a model, as BokehJS sends it: `at.event("menu", MenuItemClick, {item: "save"})`,
   * `at.event("plot", "tap", {x: 1, y: 2, sx: 10, sy: 20})`, or an event object; `null` for document events.
   */
  event(target: ModelRef | null, event: BokehEvent | typeof BokehEvent | string, values: EventValues = {}): Promise<void> {
    return this.browser.event(target, event, values)
  }

  /** Selects rows of a data source, as a selection tool does (`source.selected.indices`). */
  select(source: ModelRef, indices: readonly number[]): Promise<void> {
    return this.browser.select(source, indices)
  }
}
