/**
 * One browser of an AppTest: our protocol client on an in-process websocket, its copy of the document,
 * the record of what it received, and the steps a user does in it. An AppTest opens one; `open_browser()`
 * adds more on the same session (to see what a change in one browser sends to the others).
 */
import type { ClientSession } from "../client/session.ts"
import { BokehEvent, ButtonClick, event_classes, event_name_of, type EventValues } from "../core/bokeh_events.ts"
import { ClientError } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import type { Document } from "../document/document.ts"
import type { AnyMessage } from "../protocol/message.ts"
import { summarize, type BrowserRecord, type Mark, type PatchEvent, type PatchSummary } from "./browser_record.ts"

/** A model given by its `name` or as the model itself (from any of the test's documents). */
export type ModelRef = string | HasProps

/** What a browser needs from its AppTest: running a step, and waiting until everything has settled. */
export interface StepRunner {
  _step(step: string, fn: () => Promise<void>): Promise<void>
  _settle(): Promise<void>
  /** The server's document, for models' names. */
  readonly document: Document
}

export class TestBrowser {
  constructor(
    private readonly _runner: StepRunner,
    readonly client: ClientSession,
    private readonly _record: BrowserRecord,
  ) {}

  /** This browser's copy of the document, built only from what the server sent it. */
  get document(): Document {
    const doc = this.client.document
    if (doc === null) throw new ClientError("BK_ERR_NO_DOCUMENT", "the test's browser has no document")
    return doc
  }

  /** Every message this browser received, decoded (ACK, PULL-DOC-REPLY, PATCH-DOC, OK, …). */
  get messages(): readonly AnyMessage[] {
    return this._record.messages
  }

  /** A position in what this browser received; pass it to `patches`/`changes` for what came after. */
  mark(): Mark {
    return this._record.mark()
  }

  /** The PATCH-DOC events this browser received after `since` (everything by default), as sent. */
  patches(since: Mark = 0): PatchEvent[] {
    return this._record.patch_events(since)
  }

  /** Those events in short: `{kind: "ModelChanged", model: "title", attr: "text"}` (a model's name, else its id). */
  changes(since: Mark = 0): PatchSummary[] {
    return summarize(this.patches(since), (id) => {
      const name = (this._runner.document.get_model_by_id(id) as { name?: unknown } | null)?.name
      return typeof name === "string" ? name : null
    })
  }

  /** Sets properties of a model as a user's input does: a PATCH-DOC from this browser, so on_change runs on the server. */
  async set(target: ModelRef, values: Record<string, unknown>): Promise<void> {
    await this._runner._step(`set(${label(target)}, …)`, async () => {
      this.model(target).setv(values)
      await this._runner._settle()
    })
  }

  /** A button click (ButtonClick on the model): its `on_click`/`on_event` callbacks run on the server. */
  async click(target: ModelRef): Promise<void> {
    await this.event(target, ButtonClick)
  }

  /**
   * A UI event on a model, as BokehJS sends it: `event("menu", MenuItemClick, {item: "save"})`,
   * `event("plot", "tap", {x: 1, y: 2, sx: 10, sy: 20})`, or an event object; `null` for document events.
   */
  async event(target: ModelRef | null, event: BokehEvent | typeof BokehEvent | string, values: EventValues = {}): Promise<void> {
    const name = event instanceof BokehEvent ? event.event_name : event_name_of(event)
    const cls = event_classes.get(name)
    if (cls === undefined) throw new ClientError("BK_ERR_NO_DOCUMENT", `unknown event '${name}': see bokeh_events.ts for the event names`)
    await this._runner._step(`event(${target === null ? "document" : label(target)}, ${name})`, async () => {
      const model = target === null ? null : this.model(target)
      const all: EventValues = { ...(event instanceof BokehEvent ? event.values : {}), ...values }
      if (model !== null) all["model"] = model
      else delete all["model"]
      this.document.send_event(new (cls as unknown as new (values: EventValues) => BokehEvent)(all))
      await this._runner._settle()
    })
  }

  /** Selects rows of a data source, as a selection tool does (`source.selected.indices`). */
  async select(source: ModelRef, indices: readonly number[]): Promise<void> {
    await this._runner._step(`select(${label(source)}, [${indices.length} rows])`, async () => {
      const model = this.model(source) as HasProps & { selected?: HasProps }
      if (model.selected === undefined) throw new ClientError("BK_ERR_NO_DOCUMENT", `${label(source)} is not a data source with a selection`)
      model.selected.setv({ indices: [...indices] })
      await this._runner._settle()
    })
  }

  /** This browser's copy of a model. */
  model<T extends HasProps = HasProps>(target: ModelRef): T {
    const doc = this.document
    const model = typeof target === "string" ? doc.get_model_by_name(target) : doc.get_model_by_id(target.id)
    if (model === null) throw new ClientError("BK_ERR_NO_DOCUMENT", `no model ${label(target)} in the browser's document`)
    return model as T
  }
}

function label(target: ModelRef): string {
  return typeof target === "string" ? JSON.stringify(target) : `${target.constructor.name}(id=${JSON.stringify(target.id)})`
}
