/**
 * What the server counts for its metrics, as calls the server (and the session store) make. Without
 * `--metrics` every call goes to `NO_METRICS`, which does nothing; with it, to the Prometheus
 * implementation (prometheus.ts, loaded only then). Calls on the message path only add to numbers:
 * no allocation per message.
 *
 * The session store reports through the core's `metrics`: `core.metrics.session_resumed()` when a
 * session was rebuilt from the store, `store_write(seconds, bytes)` after each successful write and
 * `store_write_failed()` after each failed one.
 */

export interface ServerMetrics {
  /** A session was created (built by the app); `build_seconds` is how long the app took to build its document. */
  session_created(build_seconds: number): void
  /** A session was discarded after going unused for the session lifetime. */
  session_expired(): void
  /** A session this process did not hold was rebuilt from the session store. */
  session_resumed(): void
  /** A websocket was bound to a session. */
  connection_opened(): void
  /** A complete message arrived (`bytes`: all its frames). */
  message_received(msgtype: string, bytes: number): void
  /** A message was written (`bytes`: all its frames). */
  message_sent(msgtype: string, bytes: number): void
  /** A session's state (`bytes` of it) was written to the session store in `seconds`. */
  store_write(seconds: number, bytes: number): void
  /** Writing a session's state to the session store failed. */
  store_write_failed(): void
}

function nothing(): void {}

/** The metrics of a server without `--metrics`: every call is a no-op. */
export const NO_METRICS: ServerMetrics = {
  session_created: nothing,
  session_expired: nothing,
  session_resumed: nothing,
  connection_opened: nothing,
  message_received: nothing,
  message_sent: nothing,
  store_write: nothing,
  store_write_failed: nothing,
}
