/**
 * `ServerSession`: one live document on the server, its connections, its document lock and its
 * callbacks (docs/protocol.md §7.4–7.5). Everything that touches the document runs as one *locked
 * operation*; the changes made during it go out afterwards as ONE PATCH-DOC per connection, each
 * event encoded once, and never back to the connection whose own patch caused it.
 */
import { app_context, await_app, TaskGroup, with_app_context, type LockHold } from "../core/app_context.ts"
import { callback_observer, observe_callback, type CallbackKind } from "../core/callback_timing.ts"
import { NextTickCallback, PeriodicCallback, type SessionCallback } from "../document/callbacks.ts"
import { with_id_source } from "../core/ids.ts"
import { SessionIdSource } from "../core/session_ids.ts"
import { with_callback_document } from "../document/current.ts"
import type { Document } from "../document/document.ts"
import { DocumentPatchedEvent, SessionCallbackAdded, SessionCallbackRemoved, type DocumentChangedEvent } from "../document/events.ts"
import { DocumentLock, is_nolock } from "../document/locking.ts"
import { encode_events, type EncodedEvent } from "../document/patches.ts"
import { create_message, type Message } from "../protocol/message.ts"
import { real_scheduler, type Scheduler } from "../util/scheduler.ts"
import { SessionFaults } from "./faults.ts"

/** What a session needs from a connection: an identity and a way to send messages. */
export interface SessionConnection {
  send_message(message: Message): void
  /**
   * Lets a connection that cannot take more bytes keep a batch's events (folded) instead of its
   * PATCH-DOC; true if it did. Called before the batch is encoded.
   */
  take_patch?(events: readonly DocumentPatchedEvent[]): boolean
}

export class ServerSession {
  private readonly _connections = new Set<SessionConnection>()
  private readonly _lock = new DocumentLock()
  /** Events collected during the current locked operation. */
  private _pending: DocumentPatchedEvent[] | null = null
  /** Events from changes made outside any locked operation, flushed on the next tick. */
  private _stray: DocumentPatchedEvent[] = []
  private _stray_scheduled = false
  private _expiration_blocked = 0
  private _destroyed = false
  private _last_unsubscribe = performance.now()
  private readonly _on_change = (event: DocumentChangedEvent) => this._document_changed(event)
  /** Where this session's app failures are logged (and counted). */
  readonly faults: SessionFaults
  /** Called after each locked operation that changed the document (the session store writes it then). */
  after_change: (() => void) | null = null

  constructor(
    readonly id: string,
    readonly document: Document,
    /** The token the session was created with (embedded in pages served for it). */
    readonly token: string,
    faults: SessionFaults = new SessionFaults(id),
    /** The clock its periodic, timeout and next-tick callbacks are scheduled on. */
    private readonly _scheduler: Scheduler = real_scheduler,
    /** Where the models app code creates in this session take their ids from (derived from the session id). */
    readonly ids: SessionIdSource = new SessionIdSource(id),
  ) {
    this.faults = faults
    document.on_change(this._on_change)
    for (const cb of document.session_callbacks) this._start_callback(cb)
  }

  get destroyed(): boolean {
    return this._destroyed
  }

  get connections(): ReadonlySet<SessionConnection> {
    return this._connections
  }

  get connection_count(): number {
    return this._connections.size
  }

  /** Milliseconds since the last connection left (or since creation). */
  get milliseconds_since_last_unsubscribe(): number {
    return performance.now() - this._last_unsubscribe
  }

  /** True while a locked operation is pending or running: expiry must not discard the session. */
  get expiration_blocked(): boolean {
    return this._expiration_blocked > 0
  }

  subscribe(connection: SessionConnection): void {
    this._connections.add(connection)
  }

  unsubscribe(connection: SessionConnection): void {
    this._connections.delete(connection)
    this._last_unsubscribe = performance.now()
  }

  /**
   * Runs `fn` holding the document lock with `curdoc()` bound to the document and app failures
   * attributed to this session (`during` names the operation in log lines). Promises of callbacks it
   * triggers are awaited before the lock is released; changes made meanwhile are sent as one
   * PATCH-DOC per connection before the promise resolves.
   */
  async with_document_locked<T>(fn: (doc: Document) => T | Promise<T>, during = "running callback"): Promise<T> {
    // Code running inside one of this session's locked operations (e.g. an async callback calling
    // session_context.with_locked_document) already holds the lock: waiting for it would deadlock,
    // as the operation awaits that code before releasing it.
    const hold = app_context()?.lock
    if (hold?.owner === this && hold.held) return await fn(this.document)
    this._expiration_blocked += 1
    const release = await this._lock.acquire()
    const collected: DocumentPatchedEvent[] = []
    const outer = this._pending
    this._pending = collected
    const tasks = new TaskGroup()
    const lock: LockHold = { owner: this, held: true }
    try {
      return await with_id_source(this.ids, () =>
        with_app_context({ document: this.document, faults: this.faults, during, tasks, lock }, async () => {
          try {
            return await fn(this.document)
          } finally {
            await tasks.settle()
          }
        }),
      )
    } finally {
      lock.held = false
      this._pending = outer
      try {
        if (!this._destroyed) {
          this._send_patches(collected)
          if (collected.length > 0) this.after_change?.()
        }
      } finally {
        release()
        this._expiration_blocked -= 1
      }
    }
  }

  /**
   * Resolves once every locked operation queued before it has finished and changes made outside the
   * lock so far have gone out as patches (graceful drain calls it before closing the websockets).
   */
  async flush(): Promise<void> {
    if (this._destroyed) return
    await this.with_document_locked(() => {
      const events = this._stray
      this._stray = []
      this._pending!.push(...events)
    })
  }

  /** Stops callbacks and forgets the document's models. Connections should be closed by the caller. */
  destroy(): void {
    if (this._destroyed) return
    this._destroyed = true
    this.document.remove_on_change(this._on_change)
    this.document.destroy()
  }

  private _document_changed(event: DocumentChangedEvent): void {
    if (event instanceof SessionCallbackAdded) this._start_callback(event.callback)
    else if (event instanceof SessionCallbackRemoved) event.callback.stop()
    else if (event instanceof DocumentPatchedEvent) {
      if (this._pending !== null) this._pending.push(event)
      else this._stray_change(event)
    }
  }

  // Python rejects changes made outside the lock; we accept them (e.g. from a plain setTimeout)
  // and send them on the next tick, under the lock, so they still reach the browsers in order.
  private _stray_change(event: DocumentPatchedEvent): void {
    this._stray.push(event)
    if (this._stray_scheduled) return
    this._stray_scheduled = true
    setImmediate(() => {
      this._stray_scheduled = false
      if (this._destroyed) return
      void this.with_document_locked(() => {
        const events = this._stray
        this._stray = []
        this._pending!.push(...events)
      })
    })
  }

  private _start_callback(cb: SessionCallback): void {
    if (this._destroyed) return
    cb._runner = (callback) => this._run_callback(callback)
    cb._scheduler = this._scheduler
    cb.start()
  }

  /** Runs a periodic, timeout or next-tick callback; a failure is logged with this session and the session goes on. */
  private async _run_callback(cb: SessionCallback): Promise<void> {
    if (this._destroyed) return
    const run = () => {
      const timing = callback_observer()
      const started = timing !== null ? performance.now() : 0
      const done = await_app(
        () => cb.description,
        () => cb.callback(),
      )
      if (timing !== null) observe_callback(timing, callback_kind(cb), started, done)
      return done
    }
    if (is_nolock(cb.callback)) {
      await with_id_source(this.ids, () =>
        with_app_context({ faults: this.faults, during: "running callback", tasks: null, lock: null }, () =>
          with_callback_document(this.document, cb.callback, run),
        ),
      )
    } else {
      await this.with_document_locked(run)
    }
  }

  /** Encodes the batch once and sends each connection the events it did not cause itself. */
  private _send_patches(events: DocumentPatchedEvent[]): void {
    // Without connections nothing is encoded: the next PULL-DOC sends the whole document anyway.
    if (events.length === 0 || this._connections.size === 0) return
    // Slow connections fold the batch into what they owe (connection.ts) and get no message now.
    const ready = [...this._connections].filter((c) => c.take_patch?.(events) !== true)
    if (ready.length === 0) return
    const encoded = encode_events(this.document, events, "buffers")
    let shared: ReturnType<typeof patch_message> | null = null
    for (const connection of ready) {
      const own = encoded.some((e) => e.event.setter === connection)
      if (!own) {
        shared ??= patch_message(encoded)
        connection.send_message(shared)
      } else {
        const mine = encoded.filter((e) => e.event.setter !== connection)
        if (mine.length > 0) connection.send_message(patch_message(mine))
      }
    }
  }
}

function callback_kind(cb: SessionCallback): CallbackKind {
  return cb instanceof PeriodicCallback ? "periodic" : cb instanceof NextTickCallback ? "next_tick" : "timeout"
}

function patch_message(encoded: readonly EncodedEvent[]) {
  return create_message("PATCH-DOC", { events: encoded.map((e) => e.json) }, { buffers: encoded.flatMap((e) => [...e.buffers]) })
}
