/**
 * Writes sessions' states to the store: after every locked operation that changed a session's document
 * (coalesced: at most one write per session every `interval_ms`, and never two at once), bounded in
 * size, with an expiry tied to the session's lifetime. Loads states for sessions this process is asked
 * for but does not hold.
 *
 * Only sessions with a connection are written: a session some page request created here while its
 * websocket went to another process must not overwrite the state that process writes. Changes made
 * while a session had no connection are written once one arrives.
 *
 * A store outage never stops a session: failed writes are counted, the session stays marked as changed,
 * and it is written again when the store is back.
 */
import { randomUUID } from "node:crypto"

import { log } from "../../util/logging.ts"
import { repr } from "../../util/repr.ts"
import type { BokehSessionContext } from "../contexts.ts"
import type { ServerSession } from "../session.ts"
import { capture_document } from "./session_state.ts"
import type { SessionState, SessionStore, SessionStoreCounters } from "./types.ts"

export interface PersistenceOptions {
  /** How long a stored state lives after its last write. */
  readonly ttl_ms: number
  /** States larger than this (JSON plus buffers) are not written, with one clear log line per session. */
  readonly max_bytes: number
  /** The least time between two writes of one session. */
  readonly interval_ms?: number
}

interface Entry {
  readonly app: string
  readonly session: ServerSession
  readonly context: BokehSessionContext
  dirty: boolean
  timer: NodeJS.Timeout | null
  writing: Promise<void> | null
  last_write: number
  oversize_logged: boolean
}

export class SessionPersistence {
  /** This process's identity in stored states (`owner`). */
  readonly owner = randomUUID()
  readonly counters: SessionStoreCounters = { writes: 0, write_failures: 0, oversize: 0, loads: 0, load_failures: 0, resumed: 0, bytes_written: 0 }
  /** Called after each write attempt (for metrics: store write latency and failures). */
  on_write: ((result: { readonly ok: boolean; readonly duration_ms: number; readonly bytes: number }) => void) | null = null
  private readonly _entries = new Map<ServerSession, Entry>()
  private readonly _interval: number

  constructor(
    readonly store: SessionStore,
    private readonly _options: PersistenceOptions,
  ) {
    this._interval = _options.interval_ms ?? 100
    store.on_recovered(() => {
      for (const entry of this._entries.values()) if (entry.dirty) this._schedule(entry)
    })
    store.flush_all = () => this.flush_all()
  }

  /** Connects the store (stores that need it); a store that is down is retried in the background. */
  async connect(): Promise<void> {
    await this.store.connect?.()
  }

  /** Starts writing `session` after its changes; `resumed` sessions are written once connected (claiming them). */
  track(app: string, session: ServerSession, context: BokehSessionContext, resumed: boolean): void {
    const entry: Entry = { app, session, context, dirty: resumed, timer: null, writing: null, last_write: -Infinity, oversize_logged: false }
    this._entries.set(session, entry)
    if (resumed) this.counters.resumed += 1
    session.after_change = () => {
      entry.dirty = true
      this._schedule(entry)
    }
  }

  /** A connection subscribed to `session`: write what changed while it had none. */
  connected(session: ServerSession): void {
    const entry = this._entries.get(session)
    if (entry?.dirty === true) this._schedule(entry)
  }

  /** Stops tracking a discarded session (its stored state stays until it expires, for a reconnect elsewhere). */
  untrack(session: ServerSession): void {
    const entry = this._entries.get(session)
    if (entry === undefined) return
    if (entry.timer !== null) clearTimeout(entry.timer)
    session.after_change = null
    this._entries.delete(session)
  }

  /** The stored state of session `id` of app `app`, or null (none, another app's, or the store is down). */
  async load(app: string, id: string): Promise<SessionState | null> {
    if (!this.store.healthy()) return null
    this.counters.loads += 1
    try {
      const state = await this.store.load(id)
      if (state === null || state.app !== app) return null
      return state
    } catch (error) {
      this.counters.load_failures += 1
      log.warning(`could not load session ${repr(id)} from the session store: ${error instanceof Error ? error.message : String(error)}; building it fresh`)
      return null
    }
  }

  /** Whether another process wrote session `id` since this one did (so the local copy is stale). */
  async owned_elsewhere(id: string): Promise<boolean> {
    if (!this.store.healthy()) return false
    try {
      const owner = await this.store.owner(id)
      return owner !== null && owner !== this.owner
    } catch {
      return false
    }
  }

  /** Writes every changed, connected session now and waits for the writes. */
  async flush_all(): Promise<void> {
    await Promise.all(
      [...this._entries.values()].map(async (entry) => {
        if (entry.writing !== null) await entry.writing
        if (entry.dirty && entry.session.connection_count > 0) {
          if (entry.timer !== null) clearTimeout(entry.timer)
          entry.timer = null
          await this._write(entry)
        }
      }),
    )
  }

  private _schedule(entry: Entry): void {
    if (entry.timer !== null || entry.writing !== null || entry.session.connection_count === 0 || entry.session.destroyed) return
    const delay = Math.max(0, entry.last_write + this._interval - performance.now())
    entry.timer = setTimeout(() => {
      entry.timer = null
      void this._write(entry)
    }, delay)
    entry.timer.unref()
  }

  private _write(entry: Entry): Promise<void> {
    entry.writing ??= this._do_write(entry).finally(() => {
      entry.writing = null
      // After a failure the store's recovery reschedules it (no retry loop against a store that is down).
      if (entry.dirty && this.store.healthy()) this._schedule(entry)
    })
    return entry.writing
  }

  private async _do_write(entry: Entry): Promise<void> {
    const { session } = entry
    if (session.destroyed) return
    entry.dirty = false
    entry.last_write = performance.now()
    let state: SessionState
    let size: number
    try {
      // Captured under the lock, so it is a state the browsers saw whole (never half an operation).
      state = await session.with_document_locked((doc) => {
        const { doc: json, buffers } = capture_document(doc)
        const s: SessionState = {
          app: entry.app,
          doc: json,
          buffers: new Map(buffers.map((b) => [b.id, b.data])),
          id_counter: session.ids.counter,
          app_state: entry.context.app_state,
          owner: this.owner,
          saved_at: Date.now(),
        }
        return s
      }, "saving the session state")
      size = JSON.stringify(state.doc).length + JSON.stringify(state.app_state).length
    } catch (error) {
      // Not the store's fault, and retrying would fail alike: say so once per change.
      this.counters.write_failures += 1
      log.error(
        `Session ${repr(session.id)}: its state cannot be stored (${error instanceof Error ? error.message : String(error)}); is session_context.app_state plain JSON?`,
      )
      return
    }
    for (const b of state.buffers.values()) size += b.byteLength
    if (size > this._options.max_bytes) {
      this.counters.oversize += 1
      if (!entry.oversize_logged)
        log.error(
          `Session ${repr(session.id)} is ${size} bytes, over the session store's limit of ${this._options.max_bytes} (--session-store-max-bytes): its state is not stored, so it cannot resume on another process`,
        )
      entry.oversize_logged = true
      return
    }
    entry.oversize_logged = false
    const started = performance.now()
    try {
      await this.store.save(session.id, state, this._options.ttl_ms)
      this.counters.writes += 1
      this.counters.bytes_written += size
      this.on_write?.({ ok: true, duration_ms: performance.now() - started, bytes: size })
    } catch (error) {
      this.counters.write_failures += 1
      this.on_write?.({ ok: false, duration_ms: performance.now() - started, bytes: size })
      entry.dirty = true
      log.debug(`could not write session ${repr(session.id)} to the session store: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}
