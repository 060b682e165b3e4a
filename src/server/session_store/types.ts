/**
 * The shared session store seen by the server: where sessions' states go so another process can
 * resume them. `RedisSessionStore` is the implementation; tests and embedders may pass their own.
 */

/** One session's saved state: the document JSON (binary buffers apart) plus what resuming needs. */
export interface SessionState {
  /** The app path the session belongs to (`/sliders`): a state is only resumed by the same app. */
  readonly app: string
  /** Document JSON (roots, title, config, callbacks) whose bytes reps name `buffers`. */
  readonly doc: unknown
  readonly buffers: ReadonlyMap<string, Uint8Array>
  /** How many model ids the session minted (see src/core/session_ids.ts). */
  readonly id_counter: number
  /** `session_context.app_state`: what the app keeps for itself, JSON. */
  readonly app_state: Record<string, unknown>
  /** Which process wrote it (its store instance id). */
  readonly owner: string
  /** Epoch milliseconds of the write. */
  readonly saved_at: number
}

/** Counters of store traffic, for logs and metrics. */
export interface SessionStoreCounters {
  writes: number
  write_failures: number
  /** States not written because they exceeded the size limit. */
  oversize: number
  loads: number
  load_failures: number
  resumed: number
  bytes_written: number
}

export interface SessionStore {
  /** Writes a session's state (replacing the previous one); it expires `ttl_ms` after the write. */
  save(session_id: string, state: SessionState, ttl_ms: number): Promise<void>
  /** The session's state, or null if none is stored (or it expired). */
  load(session_id: string): Promise<SessionState | null>
  /** Which process last wrote the session's state, or null. */
  owner(session_id: string): Promise<string | null>
  delete(session_id: string): Promise<void>
  /** False while the store cannot be reached (sessions keep working locally meanwhile). */
  healthy(): boolean
  /** Calls `listener` whenever the store becomes reachable again. */
  on_recovered(listener: () => void): void
  /** Connects (stores that need it); resolves even if the first attempt failed (it is retried). */
  connect?(): Promise<void>
  /** Writes every pending state now (set by the server's persistence layer; ops calls it on drain). */
  flush_all?(): Promise<void>
  close(): Promise<void>
}
