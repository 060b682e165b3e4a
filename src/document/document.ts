/**
 * The Document: roots, title, every model reachable from the roots (kept current as references change),
 * change notification, UI event dispatch and session callbacks. Serialization lives in ./json.ts and
 * patches in ./patches.ts; this file is the in-memory model.
 */
import { BokehEvent, event_classes, event_name_of, type EventValues } from "../core/bokeh_events.ts"
import { DocumentError, UsageError, ValidationError } from "../core/errors.ts"
import { await_app, call_app } from "../core/app_context.ts"
import { callback_observer, observe_callback } from "../core/callback_timing.ts"
import { HasProps, invoke_change_callbacks, type DocumentLike } from "../core/has_props.ts"
import { apply_patches, apply_stream, check_patches, check_stream, is_column_data_source, type ColumnData } from "../core/util/column_data.ts"
import { visit_models } from "../core/util/refs.ts"
import { NextTickCallback, PeriodicCallback, SessionCallback, TimeoutCallback, type Callback } from "./callbacks.ts"
import type { HTTPRequest } from "../util/request.ts"
import { log } from "../util/logging.ts"
import { with_document } from "./current.ts"
import { document_to_json, replace_with_json, type DocJson, type DocJsonWithBuffers } from "./json.ts"
import { apply_json_patch, create_json_patch, type ApplyPatchOptions } from "./patches.ts"
import { resolve_theme } from "./theme.ts"
import { default_theme, type BuiltinThemeName, type Theme } from "../themes/main.ts"
import type { ArrayEncoding, Buffer_ } from "../core/serialization/serializer.ts"
import {
  ColumnDataChangedEvent,
  ColumnsPatchedEvent,
  ColumnsStreamedEvent,
  MessageSentEvent,
  ModelChangedEvent,
  RootAddedEvent,
  RootRemovedEvent,
  SessionCallbackAdded,
  SessionCallbackRemoved,
  TitleChangedEvent,
  type DocumentChangedEvent,
  type DocumentPatchedEvent,
  type Setter,
} from "./events.ts"

export const DEFAULT_TITLE = "Bokeh Application"

export type DocumentChangeCallback = (event: DocumentChangedEvent) => void
export type EventCallback<E extends BokehEvent = BokehEvent> = (event: E) => unknown

/** What sessions put on `doc.session_context` (see server/contexts.ts). */
export interface SessionContextLike {
  readonly id: string
  readonly destroyed: boolean
  /** The HTTP request that created the session: `request.arguments` is `{name: [bytes, ...]}`. */
  readonly request: HTTPRequest
}

export interface Selector {
  type?: abstract new (...args: never[]) => HasProps
  name?: string
  tags?: unknown[]
}

/** How `Document.hold` treats events meanwhile: "combine" merges redundant ones, "collect" keeps all. */
export type HoldPolicy = "combine" | "collect"

export class Document implements DocumentLike {
  private _roots: HasProps[] = []
  private _title: string = DEFAULT_TITLE
  private _theme: Theme = default_theme
  /** @internal every model reachable from the roots, by id */
  readonly _models = new Map<string, HasProps>()
  /** Set when a reference may have been dropped: the next read recomputes reachability. */
  private _models_stale = false
  /** @internal models the peers already have (sent as refs in patches) */
  readonly _known = new Set<HasProps>()
  private readonly _subscribers: DocumentChangeCallback[] = []
  private readonly _event_callbacks = new Map<string, EventCallback[]>()
  private readonly _message_callbacks = new Map<string, Array<(data: unknown) => unknown>>()
  private readonly _session_destroyed_callbacks: Array<(context: unknown) => void> = []
  private readonly _session_restored_callbacks: Array<(context: unknown) => unknown> = []
  private readonly _session_callbacks = new Set<SessionCallback>()
  private _hold: DocumentChangedEvent[] | null = null
  private _hold_policy: HoldPolicy = "combine"

  /** Set by the server for documents of live sessions. */
  session_context: SessionContextLike | null = null
  /** A Jinja template (source) for the app page; used by the server if set. */
  template: string | null = null
  /** Extra variables for the page template. */
  template_variables: Record<string, unknown> = {}
  /** BokehJS 3.10's DocumentConfig (reconnect and connection notifications); a default one is made when first serialized. */
  config: HasProps | null = null
  /** Document-level `js_on_event` callbacks (CustomJS models) by event name. */
  readonly js_event_callbacks = new Map<string, HasProps[]>()

  // -------------------------------------------------------------------------------------------
  // roots and title

  get roots(): readonly HasProps[] {
    return this._roots
  }

  get title(): string {
    return this._title
  }

  set title(title: string) {
    this.set_title(title)
  }

  set_title(title: string, setter: Setter = null): void {
    if (typeof title !== "string") throw new ValidationError("BK_ERR_INVALID_PROPERTY_VALUE", `Document.title must be a string, got ${typeof title}`)
    if (title === this._title) return
    this._title = title
    this._trigger(new TitleChangedEvent(this, title, setter))
  }

  /**
   * The theme giving this document's models new defaults (never null: `default_theme` when unthemed).
   * Set a `Theme`, a built-in theme's name ("dark_minimal", …) or null. Models get the theme's values
   * when they join and lose them when they leave; changing the theme of a live session changes the
   * affected properties, which reach the browsers as ordinary property changes (as in Python).
   */
  get theme(): Theme {
    return this._theme
  }

  set theme(theme: Theme | BuiltinThemeName | null) {
    const resolved = resolve_theme(theme)
    if (resolved === this._theme) return
    this._theme = resolved
    for (const model of this._current_models().values()) resolved.apply_to_model(model)
  }

  /** Adds a model (and everything it references) as a root. */
  add_root(model: HasProps, setter: Setter = null): void {
    if (!(model instanceof HasProps)) throw new ValidationError("BK_ERR_INVALID_PROPERTY_VALUE", "add_root() needs a model")
    if (this._roots.includes(model)) return
    this._attach(model)
    this._roots.push(model)
    this._trigger(new RootAddedEvent(this, model, setter))
  }

  /** Removes a root; models no longer reachable leave the document. */
  remove_root(model: HasProps, setter: Setter = null): void {
    const i = this._roots.indexOf(model)
    if (i === -1) return
    this._roots.splice(i, 1)
    this._recompute_models()
    this._trigger(new RootRemovedEvent(this, model, setter))
  }

  /** Removes every root. */
  clear(setter: Setter = null): void {
    for (const root of [...this._roots]) this.remove_root(root, setter)
  }

  // -------------------------------------------------------------------------------------------
  // models

  /** Every model in the document. */
  get all_models(): ReadonlySet<HasProps> {
    return new Set(this._current_models().values())
  }

  /** Alias of `all_models`, as in Python (`doc.models`). */
  get models(): ReadonlySet<HasProps> {
    return this.all_models
  }

  get_model_by_id(id: string): HasProps | null {
    return this._current_models().get(id) ?? null
  }

  /**
   * @internal whether `id` is the config's or a model's it references. As in Python they are not among the
   * document's models (patches can't reach them), but they share the id space peers load with the roots,
   * so a peer must not reuse one of their ids for another model.
   */
  _is_config_model_id(id: string): boolean {
    if (this.config === null) return false
    const seen = new Set<HasProps>()
    const stack = [this.config]
    while (stack.length > 0) {
      const model = stack.pop()!
      if (model.id === id) return true
      if (seen.has(model)) continue
      seen.add(model)
      model._visit_refs((m) => stack.push(m))
    }
    return false
  }

  /** The model with this `name`, or null; throws if several have it. */
  get_model_by_name(name: string): HasProps | null {
    const found = this.select({ name })
    if (found.length > 1) throw new DocumentError("BK_ERR_AMBIGUOUS_SELECTION", `${found.length} models are named '${name}'; use select() to get them all`)
    return found[0] ?? null
  }

  /** Models matching every given criterion: type (class), name, tags (any of). */
  select(selector: Selector): HasProps[] {
    const out: HasProps[] = []
    for (const model of this._current_models().values()) if (matches(model, selector)) out.push(model)
    return out
  }

  /** The one model matching `selector`, or null; throws if several match. */
  select_one(selector: Selector): HasProps | null {
    const found = this.select(selector)
    if (found.length > 1)
      throw new DocumentError(
        "BK_ERR_AMBIGUOUS_SELECTION",
        `select_one found ${found.length} models matching ${JSON.stringify({ ...selector, type: selector.type?.name })}`,
      )
    return found[0] ?? null
  }

  /** Sets `updates` on every model matching `selector`. */
  set_select(selector: Selector, updates: Record<string, unknown>): void {
    for (const model of this.select(selector)) model.setv(updates)
  }

  /** @internal every current model by id, recomputing reachability first if a reference was dropped */
  _current_models(): Map<string, HasProps> {
    if (this._models_stale) this._recompute_models()
    return this._models
  }

  private _attach(root: HasProps): void {
    const stack = [root]
    while (stack.length > 0) {
      const model = stack.pop()!
      if (model.document === this) continue
      if (model.document !== null) {
        // Python allows a model in one document only; a detached-but-stale owner is reclaimed.
        const other = model.document as Document
        if (other._current_models().has(model.id)) {
          throw new DocumentError("BK_ERR_MODEL_IN_OTHER_DOCUMENT", `${model} already belongs to another document; models can't be shared between documents`)
        }
      }
      const clash = this._models.get(model.id)
      if (clash !== undefined && clash !== model) throw new DocumentError("BK_ERR_MODEL_IN_OTHER_DOCUMENT", `two different models share the id '${model.id}'`)
      this._theme_joining(model)
      model.document = this
      this._models.set(model.id, model)
      model._visit_refs((m) => {
        if (m.document !== this) stack.push(m)
      })
    }
  }

  /** @internal makes every model in `value` part of this document */
  _attach_models(value: unknown, old: unknown): void {
    visit_models(value, (m) => {
      if (m.document !== this) this._attach(m)
    })
    // Only a replaced value that held models can have dropped the last reference to one.
    if (!this._models_stale) visit_models(old, () => (this._models_stale = true))
  }

  /** @internal walks from the roots; models no longer reachable leave the document */
  _recompute_models(): void {
    this._models_stale = false
    const reachable = new Map<string, HasProps>()
    const stack = [...this._roots]
    while (stack.length > 0) {
      const model = stack.pop()!
      if (reachable.has(model.id)) continue
      reachable.set(model.id, model)
      model._visit_refs((m) => {
        if (!reachable.has(m.id)) stack.push(m)
      })
    }
    for (const [id, model] of this._models) {
      if (!reachable.has(id)) {
        if (model.document === this) model.document = null
        // After detaching, as Python: the reverted values are no change the peers need to hear of.
        if (model._theme_state !== undefined) model.unapply_theme()
        this._models.delete(id)
        this._known.delete(model)
      }
    }
    for (const [id, model] of reachable) {
      if (!this._models.has(id)) {
        this._theme_joining(model)
        model.document = this
        this._models.set(id, model)
      }
    }
  }

  /**
   * Gives a model joining the document the document's theme, before it is attached: its themed values
   * travel with its first full serialization, not as change events (as Python's `_attach_document`).
   * Free for unthemed documents and models.
   */
  private _theme_joining(model: HasProps): void {
    if (this._theme !== default_theme || model._theme_state !== undefined) this._theme.apply_to_model(model)
  }

  // -------------------------------------------------------------------------------------------
  // change notification

  /** Calls `callback(event)` for every change of the document. */
  on_change(...callbacks: DocumentChangeCallback[]): void {
    for (const cb of callbacks) if (!this._subscribers.includes(cb)) this._subscribers.push(cb)
  }

  remove_on_change(...callbacks: DocumentChangeCallback[]): void {
    for (const cb of callbacks) {
      const i = this._subscribers.indexOf(cb)
      if (i !== -1) this._subscribers.splice(i, 1)
    }
  }

  /**
   * Holds change events back until `unhold()`, as Python's `Document.hold`: with "collect" every event
   * is kept; with "combine" (the default) a later change of the same attribute replaces an earlier one
   * and consecutive streams into the same columns merge, so fewer, smaller patches go out.
   */
  hold(policy: HoldPolicy = "combine"): void {
    if (policy !== "combine" && policy !== "collect")
      throw new UsageError("BK_ERR_MISUSE", `hold policy must be "combine" or "collect", got ${JSON.stringify(policy)}`)
    if (this._hold !== null) {
      if (this._hold_policy !== policy) log.warning(`hold already active with '${this._hold_policy}', ignoring '${policy}'`)
      return
    }
    this._hold = []
    this._hold_policy = policy
  }

  /** Dispatches the events held since `hold()`. */
  unhold(): void {
    const held = this._hold
    this._hold = null
    for (const event of held ?? []) this._trigger(event)
  }

  /** @internal */
  _trigger(event: DocumentChangedEvent): void {
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
    if (invoke !== null) with_document(this, invoke)
  }

  /** @internal called by models on property changes; `setter` is the peer whose patch made the change, or null */
  _model_changed(model: HasProps, attr: string, old: unknown, value: unknown, invoke: (() => void) | null, setter: Setter): void {
    // As Python: replacing a ColumnDataSource's `data` is a ColumnDataChanged of every column, not a ModelChanged.
    if (attr === "data" && is_column_data_source(model))
      this._trigger(new ColumnDataChangedEvent(this, model, attr, value as Record<string, unknown>, null, setter, invoke))
    else this._trigger(new ModelChangedEvent(this, model, attr, old, value, setter, invoke))
  }

  /** @internal appends rows to a ColumnDataSource column set (local `stream` and peers' events) */
  _stream(model: HasProps, attr: string, new_data: Record<string, unknown>, rollover: number | null, setter: Setter = null): void {
    const data = model._get(attr) as ColumnData
    check_stream(data, new_data, rollover)
    const old = { ...data }
    apply_stream(data, new_data, rollover)
    this._trigger(new ColumnsStreamedEvent(this, model, attr, new_data, rollover, setter, invoker(model, attr, old, data)))
  }

  /** @internal patches cells of a ColumnDataSource (local `patch` and peers' events) */
  _patch(model: HasProps, attr: string, patches: Record<string, unknown>, setter: Setter = null): void {
    const data = model._get(attr) as ColumnData
    check_patches(data, patches)
    const old = { ...data }
    apply_patches(data, patches)
    this._trigger(new ColumnsPatchedEvent(this, model, attr, patches, setter, invoker(model, attr, old, data)))
  }

  // -------------------------------------------------------------------------------------------
  // UI events and messages

  /** Calls `callback(event)` for the named document event (e.g. "document_ready") from any client. */
  on_event(event: string | typeof BokehEvent, ...callbacks: EventCallback[]): void {
    const name = event_name_of(event)
    if (!event_classes.has(name)) throw new DocumentError("BK_ERR_BAD_EVENT", `unknown event '${name}'`)
    const list = this._event_callbacks.get(name) ?? []
    list.push(...callbacks)
    this._event_callbacks.set(name, list)
  }

  /** Registers CustomJS callbacks that run in the browser for a document event. */
  js_on_event(event: string | typeof BokehEvent, ...callbacks: HasProps[]): void {
    const name = event_name_of(event)
    const list = this.js_event_callbacks.get(name) ?? []
    for (const cb of callbacks) if (!list.includes(cb)) list.push(cb)
    this.js_event_callbacks.set(name, list)
  }

  /** @internal dispatches a UI event received from a client to the model's and the document's callbacks */
  async _dispatch_event(name: string, values: EventValues): Promise<void> {
    const cls = event_classes.get(name)
    if (cls === undefined) return // unknown events are ignored, not errors (docs/protocol.md §6.3)
    const event = new (cls as unknown as new (values: EventValues) => BokehEvent)(values)
    const model = event.model
    const model_callbacks = model !== null ? ((model as unknown as { _event_callbacks?: Map<string, EventCallback[]> })._event_callbacks?.get(name) ?? []) : []
    const doc_callbacks = this._event_callbacks.get(name) ?? []
    // One after the other, each awaited, so an async handler's changes land in the same locked
    // operation (and PATCH-DOC) as the event; a failing handler is reported and the next one runs.
    const where = `on_event('${name}') callback`
    for (const cb of model_callbacks)
      await timed_event(() =>
        await_app(
          () => `${where} ${cb.name || "(anonymous)"} of ${model}`,
          () => with_document(this, () => cb(event)),
        ),
      )
    for (const cb of doc_callbacks)
      await timed_event(() =>
        await_app(
          () => `Document.${where} ${cb.name || "(anonymous)"}`,
          () => with_document(this, () => cb(event)),
        ),
      )
  }

  /** Sends a UI event to the browsers (e.g. ClearInput). */
  send_event(event: BokehEvent): void {
    this._trigger(new MessageSentEvent(this, "bokeh_event", event))
  }

  /** Calls `callback(msg_data)` for MessageSent events of `msg_type` from clients. */
  on_message(msg_type: string, callback: (data: unknown) => unknown): void {
    const list = this._message_callbacks.get(msg_type) ?? []
    list.push(callback)
    this._message_callbacks.set(msg_type, list)
  }

  /** @internal */
  async _message_received(msg_type: string, msg_data: unknown): Promise<void> {
    if (msg_type === "bokeh_event") {
      const rep = msg_data as { name: string; values: EventValues } | undefined
      if (rep !== undefined && typeof rep.name === "string") await this._dispatch_event(rep.name, rep.values ?? {})
      return
    }
    // Awaited one after the other, like on_event callbacks, so an async handler's changes land in
    // the same locked operation (and so the same PATCH-DOC) as the message that caused them.
    for (const cb of [...(this._message_callbacks.get(msg_type) ?? [])]) {
      await timed_event(() =>
        await_app(
          () => `on_message('${msg_type}') callback ${cb.name || "(anonymous)"}`,
          () => with_document(this, () => cb(msg_data)),
        ),
      )
    }
  }

  // -------------------------------------------------------------------------------------------
  // session lifecycle and callbacks

  /** Runs `callback(session_context)` when the server discards this document's session. */
  on_session_destroyed(...callbacks: Array<(context: unknown) => void>): void {
    this._session_destroyed_callbacks.push(...callbacks)
  }

  get session_destroyed_callbacks(): ReadonlyArray<(context: unknown) => void> {
    return this._session_destroyed_callbacks
  }

  /**
   * Runs `callback(session_context)` when this session resumed on this process from the session store
   * (`--session-store`): the app code ran again and the stored state was applied; restore app
   * variables from `session_context.app_state` here.
   */
  on_session_restored(...callbacks: Array<(context: unknown) => unknown>): void {
    this._session_restored_callbacks.push(...callbacks)
  }

  get session_restored_callbacks(): ReadonlyArray<(context: unknown) => unknown> {
    return this._session_restored_callbacks
  }

  get session_callbacks(): ReadonlySet<SessionCallback> {
    return this._session_callbacks
  }

  /** Runs `callback` every `period_milliseconds` while the session lives. */
  add_periodic_callback(callback: Callback, period_milliseconds: number): PeriodicCallback {
    check_delay("period_milliseconds", period_milliseconds)
    return this._add_session_callback(new PeriodicCallback(callback, period_milliseconds))
  }

  /** Runs `callback` once, after `timeout_milliseconds`. */
  add_timeout_callback(callback: Callback, timeout_milliseconds: number): TimeoutCallback {
    check_delay("timeout_milliseconds", timeout_milliseconds)
    const cb: TimeoutCallback = new TimeoutCallback(callback, timeout_milliseconds, () => this._discard_session_callback(cb))
    return this._add_session_callback(cb)
  }

  /** Runs `callback` once, on the next turn of the event loop. */
  add_next_tick_callback(callback: Callback): NextTickCallback {
    const cb: NextTickCallback = new NextTickCallback(callback, () => this._discard_session_callback(cb))
    return this._add_session_callback(cb)
  }

  remove_periodic_callback(callback: PeriodicCallback): void {
    this._remove_session_callback(callback, "periodic")
  }

  remove_timeout_callback(callback: TimeoutCallback): void {
    this._remove_session_callback(callback, "timeout")
  }

  remove_next_tick_callback(callback: NextTickCallback): void {
    this._remove_session_callback(callback, "next tick")
  }

  private _add_session_callback<T extends SessionCallback>(callback: T): T {
    this._session_callbacks.add(callback)
    this._trigger(new SessionCallbackAdded(this, callback))
    return callback
  }

  private _remove_session_callback(callback: SessionCallback, what: string): void {
    if (!this._session_callbacks.has(callback)) {
      throw new DocumentError("BK_ERR_CALLBACK_NOT_FOUND", `can't remove ${what} callback ${callback.id}: it was already removed, has run, or was never added`)
    }
    this._discard_session_callback(callback)
  }

  private _discard_session_callback(callback: SessionCallback): void {
    if (!this._session_callbacks.delete(callback)) return
    callback.stop()
    this._trigger(new SessionCallbackRemoved(this, callback))
  }

  /** @internal stops every callback and forgets the models (the session is gone) */
  _destroy(): void {
    for (const cb of this._session_callbacks) cb.stop()
    this._session_callbacks.clear()
    this._subscribers.length = 0
    for (const model of this._models.values()) if (model.document === this) model.document = null
    this._models.clear()
    this._known.clear()
    this._roots = []
  }

  // -------------------------------------------------------------------------------------------
  // JSON and patches

  /** The document as JSON, numeric arrays inline (gzip+base64). */
  to_json(): DocJson {
    return document_to_json(this, "base64").doc
  }

  /** The document as JSON plus binary buffers (or, with `arrays: "lists"`, plain lists). */
  to_json_with_buffers(arrays: ArrayEncoding = "buffers"): DocJsonWithBuffers {
    return document_to_json(this, arrays)
  }

  /** A new document from JSON (and the buffers its bytes reps refer to). */
  static from_json(json: unknown, buffers?: ReadonlyMap<string, Uint8Array>): Document {
    const doc = new Document()
    replace_with_json(doc, json, buffers)
    return doc
  }

  /** Replaces roots and title with those of `json`; decodes everything first. The changes carry `setter`. */
  replace_with_json(json: unknown, buffers?: ReadonlyMap<string, Uint8Array>, setter: Setter = null): void {
    replace_with_json(this, json, buffers, setter)
  }

  /** PATCH-DOC content for these events. */
  create_json_patch(events: readonly DocumentPatchedEvent[], arrays: ArrayEncoding = "buffers"): { content: { events: unknown[] }; buffers: Buffer_[] } {
    return create_json_patch(this, events, arrays)
  }

  /** Applies PATCH-DOC content from a peer; all-or-nothing for bad input. */
  apply_json_patch(content: unknown, buffers?: ReadonlyMap<string, Uint8Array>, setter: Setter = null, options: ApplyPatchOptions = {}): Promise<void> {
    return apply_json_patch(this, content, buffers, setter, options)
  }

  /** No-op kept for Python parity: models are validated on assignment. */
  validate(): void {}
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

function matches(model: HasProps, selector: Selector): boolean {
  if (selector.type !== undefined && !(model instanceof selector.type)) return false
  const props = model as unknown as { name?: unknown; tags?: unknown }
  if (selector.name !== undefined && props.name !== selector.name) return false
  if (selector.tags !== undefined) {
    const tags = Array.isArray(props.tags) ? props.tags : []
    if (!selector.tags.some((t) => tags.includes(t))) return false
  }
  return true
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
