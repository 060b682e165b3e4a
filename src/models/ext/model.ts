/**
 * Hand-written additions to the generated `Model`: Python Bokeh's event and JS-callback API.
 * (Module augmentation keeps generated files untouched.)
 */
import { BokehEvent, event_classes, event_name_of } from "../../core/bokeh_events.ts"
import { DocumentError } from "../../core/errors.ts"
import { Model } from "../model.ts"

export type EventCallback<E extends BokehEvent = BokehEvent> = (event: E) => unknown

declare module "../model.ts" {
  interface Model {
    /** @internal server-side UI event callbacks, by event name */
    _event_callbacks?: Map<string, EventCallback[]>
    /** Runs `callbacks(event)` on the server when the browser reports `event` (a name or event class) on this model. */
    on_event<E extends BokehEvent>(event: string | (abstract new (...args: never[]) => E), ...callbacks: Array<EventCallback<E>>): void
    /** Runs CustomJS callbacks in the browser when property `attr` changes (or on "change:attr" / event names). */
    js_on_change(event: string, ...callbacks: Model[]): void
    /** Runs CustomJS callbacks in the browser for a UI event on this model. */
    js_on_event(event: string | typeof BokehEvent, ...callbacks: Model[]): void
  }
}

Model.prototype.on_event = function <E extends BokehEvent>(this: Model, event: string | (abstract new (...args: never[]) => E), ...callbacks: Array<EventCallback<E>>): void {
  const name = event_name_of(event as string | typeof BokehEvent)
  if (!event_classes.has(name)) throw new DocumentError("BK_ERR_BAD_EVENT", `unknown event '${name}': see bokeh_events.ts for the event names`)
  this._event_callbacks ??= new Map()
  const list = this._event_callbacks.get(name) ?? []
  list.push(...(callbacks as EventCallback[]))
  this._event_callbacks.set(name, list)
  // The browser only sends events the model subscribes to; the set syncs like any property.
  if (!this.subscribed_events.has(name)) this.subscribed_events = new Set([...this.subscribed_events, name])
}

Model.prototype.js_on_change = function (this: Model, event: string, ...callbacks: Model[]): void {
  const key = event in (this.constructor as typeof Model).__props__ ? `change:${event}` : event
  const current = this.js_property_callbacks[key] ?? []
  this.js_property_callbacks = { ...this.js_property_callbacks, [key]: [...current, ...callbacks.filter((cb) => !current.includes(cb))] }
}

Model.prototype.js_on_event = function (this: Model, event: string | typeof BokehEvent, ...callbacks: Model[]): void {
  const name = event_name_of(event)
  const current = this.js_event_callbacks[name] ?? []
  this.js_event_callbacks = { ...this.js_event_callbacks, [name]: [...current, ...callbacks.filter((cb) => !current.includes(cb))] }
}
