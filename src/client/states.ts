/**
 * The client connection's states and why a connection ended (Python's `bokeh.client.states`).
 */

/** Why a connection is `DISCONNECTED` (Python's `DISCONNECTED.ErrorReason`). */
export const ErrorReason = {
  /** Closed by this client (`close()`), or never connected (`loop_until_closed()` before `connect()`). */
  NO_ERROR: "NO_ERROR",
  /**
   * The server answered the upgrade with an HTTP error (`error_code` is the status: 404 wrong app
   * path, 403 disallowed origin, ...), or it closed an open socket (`error_code` 500, "Internal server
   * error.", as Python reports it; an expired or badly signed token ends this way, right after the
   * upgrade). `close_code`/`close_reason` then hold what the close frame said.
   */
  HTTP_ERROR: "HTTP_ERROR",
  /**
   * No usable socket: the server is down or unreachable (`error_code` null, "Socket invalid."), the
   * server sent something that is not the Bokeh protocol, or a message was larger than
   * `max_message_size` (`error_code` 1009).
   */
  NETWORK_ERROR: "NETWORK_ERROR",
} as const

export type ErrorReason = (typeof ErrorReason)[keyof typeof ErrorReason]

/**
 * Connection states. `WAITING_FOR_REPLY` of Python has no counterpart: requests are tracked by
 * `msgid`, so several can be in flight and every other message keeps being processed meanwhile.
 */
export type ConnectionState = "NOT_YET_CONNECTED" | "CONNECTING" | "CONNECTED_BEFORE_ACK" | "CONNECTED_AFTER_ACK" | "DISCONNECTED"

/** What a disconnected connection remembers about why it ended. */
export interface Disconnection {
  readonly reason: ErrorReason
  /** HTTP status for HTTP_ERROR, 1009 for oversized messages, null otherwise. */
  readonly code: number | null
  readonly detail: string
}

/** A connection's state, why it ended, and waiting for a state (one per `ClientConnection`). */
export class ConnectionStates {
  private _state: ConnectionState = "NOT_YET_CONNECTED"
  private _disconnection: Disconnection | null = null
  private readonly _waiters = new Set<() => void>()

  get state(): ConnectionState {
    return this._state
  }

  /** Why the connection ended, or null while it is not `DISCONNECTED`. */
  get disconnection(): Disconnection | null {
    return this._disconnection
  }

  /** Moves to `state` and wakes the waiters whose condition now holds. */
  set(state: ConnectionState): void {
    this._state = state
    for (const wake of [...this._waiters]) wake()
  }

  /** Moves to `DISCONNECTED` for `disconnection`; false if it was already there (the first ending counts). */
  disconnect(disconnection: Disconnection): boolean {
    if (this._state === "DISCONNECTED") return false
    this._disconnection = disconnection
    this.set("DISCONNECTED")
    return true
  }

  /** Resolves once `predicate` holds (checked at every state change). */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = (): void => {
        if (!predicate()) return
        this._waiters.delete(wake)
        resolve()
      }
      this._waiters.add(wake)
    })
  }
}
