/**
 * The Document: Bokeh's public facade over one document. It keeps the roots, title and theme itself and
 * hands the rest to two managers, as Python Bokeh does: `DocumentModelManager` (./models.ts: every model
 * reachable from the roots, what the peers have) and `DocumentCallbackManager` (./callback_manager.ts:
 * change subscribers, hold/unhold, UI events and messages, session callbacks). Serialization lives in
 * ./json.ts and patches in ./patches.ts. Those helpers, the server and the client use the managers
 * (`doc.model_manager`, `doc.callback_manager`), never private fields (docs/architecture.md, "Document").
 */
import type { BokehEvent } from "../core/bokeh_events.ts"
import { ValidationError } from "../core/errors.ts"
import { HasProps, type DocumentLike } from "../core/has_props.ts"
import type { Callback, NextTickCallback, PeriodicCallback, SessionCallback, TimeoutCallback } from "./callbacks.ts"
import { DocumentCallbackManager, type DocumentChangeCallback, type EventCallback, type HoldPolicy } from "./callback_manager.ts"
import type { HTTPRequest } from "../util/request.ts"
import { document_to_json, replace_with_json, type DocJson, type DocJsonWithBuffers } from "./json.ts"
import { DocumentModelManager, type Selector } from "./models.ts"
import { apply_json_patch, create_json_patch, type ApplyPatchOptions } from "./patches.ts"
import { resolve_theme } from "./theme.ts"
import { default_theme, type BuiltinThemeName, type Theme } from "../themes/main.ts"
import type { ArrayEncoding, Buffer_ } from "../core/serialization/serializer.ts"
import { MessageSentEvent, RootAddedEvent, RootRemovedEvent, TitleChangedEvent, type DocumentPatchedEvent, type Setter } from "./events.ts"

export type { DocumentChangeCallback, EventCallback, HoldPolicy } from "./callback_manager.ts"
export type { Selector } from "./models.ts"

export const DEFAULT_TITLE = "Bokeh Application"

/** What sessions put on `doc.session_context` (see server/contexts.ts). */
export interface SessionContextLike {
  readonly id: string
  readonly destroyed: boolean
  /** The HTTP request that created the session: `request.arguments` is `{name: [bytes, ...]}`. */
  readonly request: HTTPRequest
}

export class Document implements DocumentLike {
  private _roots: HasProps[] = []
  private _title: string = DEFAULT_TITLE
  private _theme: Theme = default_theme
  /** @internal the models reachable from the roots and what the peers have (json.ts, patches.ts, the server's sessions) */
  readonly model_manager: DocumentModelManager = new DocumentModelManager(this)
  /** @internal subscribers, held events, UI events and messages, session callbacks (patches.ts, the server's sessions) */
  readonly callback_manager: DocumentCallbackManager = new DocumentCallbackManager(this)

  /** Set by the server for documents of live sessions. */
  session_context: SessionContextLike | null = null
  /** A Jinja template (source) for the app page; used by the server if set. */
  template: string | null = null
  /** Extra variables for the page template. */
  template_variables: Record<string, unknown> = {}
  /** BokehJS 3.10's DocumentConfig (reconnect and connection notifications); a default one is made when first serialized. */
  config: HasProps | null = null

  /** Document-level `js_on_event` callbacks (CustomJS models) by event name. */
  get js_event_callbacks(): Map<string, HasProps[]> {
    return this.callback_manager.js_event_callbacks
  }

  // roots, title and theme: kept here

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
    this.callback_manager.trigger(new TitleChangedEvent(this, title, setter))
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
    for (const model of this.model_manager.current().values()) resolved.apply_to_model(model)
  }

  /** Adds a model (and everything it references) as a root. */
  add_root(model: HasProps, setter: Setter = null): void {
    if (!(model instanceof HasProps)) throw new ValidationError("BK_ERR_INVALID_PROPERTY_VALUE", "add_root() needs a model")
    if (this._roots.includes(model)) return
    this.model_manager.attach(model)
    this._roots.push(model)
    this.callback_manager.trigger(new RootAddedEvent(this, model, setter))
  }

  /** Removes a root; models no longer reachable leave the document. */
  remove_root(model: HasProps, setter: Setter = null): void {
    const i = this._roots.indexOf(model)
    if (i === -1) return
    this._roots.splice(i, 1)
    this.model_manager.recompute()
    this.callback_manager.trigger(new RootRemovedEvent(this, model, setter))
  }

  /** Removes every root. */
  clear(setter: Setter = null): void {
    for (const root of [...this._roots]) this.remove_root(root, setter)
  }

  // models: DocumentModelManager

  /** Every model in the document. */
  get all_models(): ReadonlySet<HasProps> {
    return new Set(this.model_manager.current().values())
  }

  /** Alias of `all_models`, as in Python (`doc.models`). */
  get models(): ReadonlySet<HasProps> {
    return this.all_models
  }

  get_model_by_id(id: string): HasProps | null {
    return this.model_manager.get(id)
  }

  /** The model with this `name`, or null; throws if several have it. */
  get_model_by_name(name: string): HasProps | null {
    return this.model_manager.get_by_name(name)
  }

  /** Models matching every given criterion: type (class), name, tags (any of). */
  select(selector: Selector): HasProps[] {
    return this.model_manager.select(selector)
  }

  /** The one model matching `selector`, or null; throws if several match. */
  select_one(selector: Selector): HasProps | null {
    return this.model_manager.select_one(selector)
  }

  /** Sets `updates` on every model matching `selector`. */
  set_select(selector: Selector, updates: Record<string, unknown>): void {
    for (const model of this.select(selector)) model.setv(updates)
  }

  // change notification, events, messages and session callbacks: DocumentCallbackManager

  /** Calls `callback(event)` for every change of the document. */
  on_change(...callbacks: DocumentChangeCallback[]): void {
    this.callback_manager.on_change(callbacks)
  }

  remove_on_change(...callbacks: DocumentChangeCallback[]): void {
    this.callback_manager.remove_on_change(callbacks)
  }

  /**
   * Holds change events back until `unhold()`, as Python's `Document.hold`: with "collect" every event
   * is kept; with "combine" (the default) a later change of the same attribute replaces an earlier one
   * and consecutive streams into the same columns merge, so fewer, smaller patches go out.
   */
  hold(policy: HoldPolicy = "combine"): void {
    this.callback_manager.hold(policy)
  }

  /** Dispatches the events held since `hold()`. */
  unhold(): void {
    this.callback_manager.unhold()
  }

  /** Calls `callback(event)` for the named document event (e.g. "document_ready") from any client. */
  on_event(event: string | typeof BokehEvent, ...callbacks: EventCallback[]): void {
    this.callback_manager.on_event(event, callbacks)
  }

  /** Registers CustomJS callbacks that run in the browser for a document event. */
  js_on_event(event: string | typeof BokehEvent, ...callbacks: HasProps[]): void {
    this.callback_manager.js_on_event(event, callbacks)
  }

  /** Sends a UI event to the browsers (e.g. ClearInput). */
  send_event(event: BokehEvent): void {
    this.callback_manager.trigger(new MessageSentEvent(this, "bokeh_event", event))
  }

  /** Calls `callback(msg_data)` for MessageSent events of `msg_type` from clients. */
  on_message(msg_type: string, callback: (data: unknown) => unknown): void {
    this.callback_manager.on_message(msg_type, callback)
  }

  /** Runs `callback(session_context)` when the server discards this document's session. */
  on_session_destroyed(...callbacks: Array<(context: unknown) => void>): void {
    this.callback_manager.session_destroyed_callbacks.push(...callbacks)
  }

  get session_destroyed_callbacks(): ReadonlyArray<(context: unknown) => void> {
    return this.callback_manager.session_destroyed_callbacks
  }

  /**
   * Runs `callback(session_context)` when this session resumed on this process from the session store
   * (`--session-store`): the app code ran again and the stored state was applied; restore app
   * variables from `session_context.app_state` here.
   */
  on_session_restored(...callbacks: Array<(context: unknown) => unknown>): void {
    this.callback_manager.session_restored_callbacks.push(...callbacks)
  }

  get session_restored_callbacks(): ReadonlyArray<(context: unknown) => unknown> {
    return this.callback_manager.session_restored_callbacks
  }

  get session_callbacks(): ReadonlySet<SessionCallback> {
    return this.callback_manager.session_callbacks
  }

  /** Runs `callback` every `period_milliseconds` while the session lives. */
  add_periodic_callback(callback: Callback, period_milliseconds: number): PeriodicCallback {
    return this.callback_manager.add_periodic_callback(callback, period_milliseconds)
  }

  /** Runs `callback` once, after `timeout_milliseconds`. */
  add_timeout_callback(callback: Callback, timeout_milliseconds: number): TimeoutCallback {
    return this.callback_manager.add_timeout_callback(callback, timeout_milliseconds)
  }

  /** Runs `callback` once, on the next turn of the event loop. */
  add_next_tick_callback(callback: Callback): NextTickCallback {
    return this.callback_manager.add_next_tick_callback(callback)
  }

  remove_periodic_callback(callback: PeriodicCallback): void {
    this.callback_manager.remove_session_callback(callback, "periodic")
  }

  remove_timeout_callback(callback: TimeoutCallback): void {
    this.callback_manager.remove_session_callback(callback, "timeout")
  }

  remove_next_tick_callback(callback: NextTickCallback): void {
    this.callback_manager.remove_session_callback(callback, "next tick")
  }

  /** @internal stops every callback and forgets the models (the session is gone) */
  destroy(): void {
    this.callback_manager.destroy()
    this.model_manager.destroy()
    this._roots = []
  }

  // JSON and patches: ./json.ts, ./patches.ts

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
