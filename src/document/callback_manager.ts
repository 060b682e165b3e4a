/**
 * `DocumentCallbackManager` (Python's `bokeh.document.callbacks`): who hears of a document's changes and
 * events, and when. Change subscribers (`on_change`), holding and releasing events (`hold`/`unhold`,
 * "combine" or "collect"), a model's own `on_change` callbacks after the subscribers, UI events and messages
 * from clients to `on_event`/`on_message` handlers, and session callbacks (periodic, timeout, next tick) and
 * session lifecycle callbacks.
 */
import { BokehEvent, event_classes, event_name_of, type EventValues } from "../core/bokeh_events.ts"
import { DocumentError, UsageError, ValidationError } from "../core/errors.ts"
import { await_app, call_app } from "../core/app_context.ts"
import { callback_observer, observe_callback } from "../core/callback_timing.ts"
import { invoke_change_callbacks, type HasProps } from "../core/has_props.ts"
import { apply_patches, apply_stream, check_patches, check_stream, is_column_data_source, type ColumnData } from "../core/util/column_data.ts"
import { log } from "../util/logging.ts"
import { NextTickCallback, PeriodicCallback, TimeoutCallback, type Callback, type SessionCallback } from "./callbacks.ts"
import { with_document } from "./current.ts"
import type { Document } from "./document.ts"
import {
  ColumnDataChangedEvent,
  ColumnsPatchedEvent,
  ColumnsStreamedEvent,
  ModelChangedEvent,
  SessionCallbackAdded,
  SessionCallbackRemoved,
  type DocumentChangedEvent,
  type Setter,
} from "./events.ts"

export type DocumentChangeCallback = (event: DocumentChangedEvent) => void
export type EventCallback<E extends BokehEvent = BokehEvent> = (event: E) => unknown

/** How `Document.hold` treats events meanwhile: "combine" merges redundant ones, "collect" keeps all. */
export type HoldPolicy = "combine" | "collect"

export class DocumentCallbackManager {
  private readonly _subscribers: DocumentChangeCallback[] = []
  private readonly _event_callbacks = new Map<string, EventCallback[]>()
  private readonly _message_callbacks = new Map<string, Array<(data: unknown) => unknown>>()
  /** Document-level `js_on_event` callbacks (CustomJS models) by event name: sent with the document. */
  readonly js_event_callbacks = new Map<string, HasProps[]>()
  readonly session_destroyed_callbacks: Array<(context: unknown) => void> = []
  readonly session_restored_callbacks: Array<(context: unknown) => unknown> = []
  private readonly _session_callbacks = new Set<SessionCallback>()
  private _hold: DocumentChangedEvent[] | null = null
  private _hold_policy: HoldPolicy = "combine"

  constructor(private readonly _doc: Document) {}

  // -------------------------------------------------------------------------------------------
  // change notification

  on_change(callbacks: readonly DocumentChangeCallback[]): void {
    for (const cb of callbacks) if (!this._subscribers.includes(cb)) this._subscribers.push(cb)
  }

  remove_on_change(callbacks: readonly DocumentChangeCallback[]): void {
    for (const cb of callbacks) {
      const i = this._subscribers.indexOf(cb)
      if (i !== -1) this._subscribers.splice(i, 1)
    }
  }

  /** See `Document.hold`. */
  hold(policy: HoldPolicy): void {
    if (policy !== "combine" && policy !== "collect")
      throw new UsageError("BK_ERR_MISUSE", `hold policy must be "combine" or "collect", got ${JSON.stringify(policy)}`)
    if (this._hold !== null) {
      if (this._hold_policy !== policy) log.warning(`hold already active with '${this._hold_policy}', ignoring '${policy}'`)
      return
    }
    this._hold = []
    this._hold_policy = policy
  }

  unhold(): void {
    const held = this._hold
    this._hold = null
    for (const event of held ?? []) this.trigger(event)
  }

  /** Reports a change to the subscribers, then runs the changed model's own callbacks (or holds the event). */
  trigger(event: DocumentChangedEvent): void {
    if (this._hold !== null) {
      if (this._hold_policy === "combine") {
        // As Python: the newest held event that can absorb this one does; otherwise it queues.
        for (let i = this._hold.length - 1; i >= 0; i--) if (this._hold[i]!.combine(event)) return
      }
      this._hold.push(event)
      return
    }
    for (const cb of [...this._subscribers]) call_app(describe_subscriber, cb, event)
    // A model's callbacks are app code: the changes they make are created with setter null, since
    // the setter travels only as an argument (never as state), so they go to every peer.
    const invoke = event.callback_invoker
    if (invoke !== null) with_document(this._doc, invoke)
  }

  /** A model's property changed; `setter` is the peer whose patch made the change, or null. */
  model_changed(model: HasProps, attr: string, old: unknown, value: unknown, invoke: (() => void) | null, setter: Setter): void {
    // As Python: replacing a ColumnDataSource's `data` is a ColumnDataChanged of every column, not a ModelChanged.
    if (attr === "data" && is_column_data_source(model))
      this.trigger(new ColumnDataChangedEvent(this._doc, model, attr, value as Record<string, unknown>, null, setter, invoke))
    else this.trigger(new ModelChangedEvent(this._doc, model, attr, old, value, setter, invoke))
  }

  /** Appends rows to a ColumnDataSource column set (local `stream` and peers' events) and reports them. */
  stream(model: HasProps, attr: string, new_data: Record<string, unknown>, rollover: number | null, setter: Setter): void {
    const data = model._get(attr) as ColumnData
    check_stream(data, new_data, rollover)
    const old = { ...data }
    apply_stream(data, new_data, rollover)
    this.trigger(new ColumnsStreamedEvent(this._doc, model, attr, new_data, rollover, setter, invoker(model, attr, old, data)))
  }

  /** Patches cells of a ColumnDataSource (local `patch` and peers' events) and reports them. */
  patch(model: HasProps, attr: string, patches: Record<string, unknown>, setter: Setter): void {
    const data = model._get(attr) as ColumnData
    check_patches(data, patches)
    const old = { ...data }
    apply_patches(data, patches)
    this.trigger(new ColumnsPatchedEvent(this._doc, model, attr, patches, setter, invoker(model, attr, old, data)))
  }

  // -------------------------------------------------------------------------------------------
  // UI events and messages

  on_event(event: string | typeof BokehEvent, callbacks: readonly EventCallback[]): void {
    const name = event_name_of(event)
    if (!event_classes.has(name)) throw new DocumentError("BK_ERR_BAD_EVENT", `unknown event '${name}'`)
    const list = this._event_callbacks.get(name) ?? []
    list.push(...callbacks)
    this._event_callbacks.set(name, list)
  }

  js_on_event(event: string | typeof BokehEvent, callbacks: readonly HasProps[]): void {
    const name = event_name_of(event)
    const list = this.js_event_callbacks.get(name) ?? []
    for (const cb of callbacks) if (!list.includes(cb)) list.push(cb)
    this.js_event_callbacks.set(name, list)
  }

  on_message(msg_type: string, callback: (data: unknown) => unknown): void {
    const list = this._message_callbacks.get(msg_type) ?? []
    list.push(callback)
    this._message_callbacks.set(msg_type, list)
  }

  /** A MessageSent from a client: a UI event ("bokeh_event") or a message for `on_message` callbacks. */
  async message_received(msg_type: string, msg_data: unknown): Promise<void> {
    if (msg_type === "bokeh_event") {
      const rep = msg_data as { name: string; values: EventValues } | undefined
      if (rep !== undefined && typeof rep.name === "string") await this.dispatch_event(rep.name, rep.values ?? {})
      return
    }
    // Awaited one after the other, like on_event callbacks, so an async handler's changes land in
    // the same locked operation (and so the same PATCH-DOC) as the message that caused them.
    for (const cb of [...(this._message_callbacks.get(msg_type) ?? [])]) {
      await timed_event(() =>
        await_app(
          () => `on_message('${msg_type}') callback ${cb.name || "(anonymous)"}`,
          () => with_document(this._doc, () => cb(msg_data)),
        ),
      )
    }
  }

  /** Dispatches a UI event received from a client to the model's and the document's callbacks. */
  async dispatch_event(name: string, values: EventValues): Promise<void> {
    const cls = event_classes.get(name)
    if (cls === undefined) return // unknown events are ignored, not errors (docs/protocol.md §6.3)
    const event = new (cls as unknown as new (values: EventValues) => BokehEvent)(values)
    const model = event.model
    const model_callbacks = model !== null ? ((model as unknown as { _event_callbacks?: Map<string, EventCallback[]> })._event_callbacks?.get(name) ?? []) : []
    const doc_callbacks = this._event_callbacks.get(name) ?? []
    // One after the other, each awaited, so an async handler's changes land in the same locked
    // operation (and PATCH-DOC) as the event; a failing handler is reported and the next one runs.
    const where = `on_event('${name}') callback`
    const run = (cb: EventCallback) => with_document(this._doc, () => cb(event))
    for (const cb of model_callbacks)
      await timed_event(() =>
        await_app(
          () => `${where} ${cb.name || "(anonymous)"} of ${model}`,
          () => run(cb),
        ),
      )
    for (const cb of doc_callbacks)
      await timed_event(() =>
        await_app(
          () => `Document.${where} ${cb.name || "(anonymous)"}`,
          () => run(cb),
        ),
      )
  }

  // -------------------------------------------------------------------------------------------
  // session callbacks

  get session_callbacks(): ReadonlySet<SessionCallback> {
    return this._session_callbacks
  }

  add_periodic_callback(callback: Callback, period_milliseconds: number): PeriodicCallback {
    check_delay("period_milliseconds", period_milliseconds)
    return this._add_session_callback(new PeriodicCallback(callback, period_milliseconds))
  }

  add_timeout_callback(callback: Callback, timeout_milliseconds: number): TimeoutCallback {
    check_delay("timeout_milliseconds", timeout_milliseconds)
    const cb: TimeoutCallback = new TimeoutCallback(callback, timeout_milliseconds, () => this.discard_session_callback(cb))
    return this._add_session_callback(cb)
  }

  add_next_tick_callback(callback: Callback): NextTickCallback {
    const cb: NextTickCallback = new NextTickCallback(callback, () => this.discard_session_callback(cb))
    return this._add_session_callback(cb)
  }

  private _add_session_callback<T extends SessionCallback>(callback: T): T {
    this._session_callbacks.add(callback)
    this.trigger(new SessionCallbackAdded(this._doc, callback))
    return callback
  }

  /** Removes a callback the app names; `what` ("periodic", …) is for the error if it is not there. */
  remove_session_callback(callback: SessionCallback, what: string): void {
    if (!this._session_callbacks.has(callback)) {
      throw new DocumentError("BK_ERR_CALLBACK_NOT_FOUND", `can't remove ${what} callback ${callback.id}: it was already removed, has run, or was never added`)
    }
    this.discard_session_callback(callback)
  }

  /** Stops and forgets a callback if it is still there (one-shot callbacks call this once they ran). */
  discard_session_callback(callback: SessionCallback): void {
    if (!this._session_callbacks.delete(callback)) return
    callback.stop()
    this.trigger(new SessionCallbackRemoved(this._doc, callback))
  }

  /** Stops every session callback and drops the change subscribers (the session is gone). */
  destroy(): void {
    for (const cb of this._session_callbacks) cb.stop()
    this._session_callbacks.clear()
    this._subscribers.length = 0
  }
}

function describe_subscriber(cb: (event: never) => unknown): string {
  return `Document.on_change callback ${cb.name || "(anonymous)"}`
}

function check_delay(name: string, ms: number): void {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
    throw new ValidationError("BK_ERR_INVALID_PROPERTY_VALUE", `${name} must be a non-negative number of milliseconds, got ${String(ms)}`)
}

function invoker(model: HasProps, attr: string, old: unknown, value: unknown): (() => void) | null {
  const callbacks = model._callbacks?.get(attr)
  if (callbacks === undefined || callbacks.length === 0) return null
  return () => invoke_change_callbacks(model, attr, callbacks, old, value)
}

/** Runs an `on_event`/`on_message` handler, reporting its duration when callback timing is on. */
async function timed_event(run: () => Promise<unknown>): Promise<void> {
  const timing = callback_observer()
  if (timing === null) {
    await run()
    return
  }
  const started = performance.now()
  await run()
  observe_callback(timing, "event", started, undefined)
}
