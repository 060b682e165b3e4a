/**
 * `ServerConnection`: one websocket attached to one session. It reassembles messages, handles them
 * one at a time in arrival order (protocol_handler.ts) and writes every message's fragments in one
 * go, so messages never interleave on the wire.
 *
 * Memory per connection is bounded both ways:
 * - Out: see `SendBudget` (send_budget.ts): past `max_buffered_bytes` patches are folded, and the next
 *   message is not handled until the socket drains.
 * - In: one message is handled at a time with at most `max_queued_messages` behind it; then the
 *   socket is paused.
 */
import { message_fragments, type Message } from "../protocol/message.ts"
import { Receiver } from "../protocol/receiver.ts"
import { CloseCodes, close_code_for } from "../protocol/close_codes.ts"
import type { AnyMessage } from "../protocol/message.ts"
import type { DocumentPatchedEvent } from "../document/events.ts"
import { log } from "../util/logging.ts"
import { repr } from "../util/repr.ts"
import { NO_METRICS, type ServerMetrics } from "./metrics.ts"
import { BoundedInbox } from "./inbox.ts"
import { DEFAULTS } from "./options.ts"
import { handle_message } from "./protocol_handler.ts"
import { SendBudget, type ConnectionLimits, type SendBudgetStats } from "./send_budget.ts"
import type { ServerSession, SessionConnection } from "./session.ts"
import { ServerCloseCodes, close_reason, type WebSocketTransport } from "./transport.ts"

let connection_counter = 0

export type { ConnectionLimits } from "./send_budget.ts"

export const DEFAULT_LIMITS: ConnectionLimits = {
  max_buffered_bytes: DEFAULTS.websocket_max_buffered_bytes,
  stall_timeout_milliseconds: DEFAULTS.websocket_stall_timeout_milliseconds,
  max_queued_messages: DEFAULTS.websocket_max_queued_messages,
}

/** What a connection reports about its buffers (for tests, benchmarks and logs): outgoing, then incoming. */
export interface ConnectionStats extends SendBudgetStats {
  /** Messages waiting to be handled now, and the most ever; whether reading is paused. */
  readonly queued_messages: number
  readonly peak_queued_messages: number
  readonly reading_paused: boolean
  /** Whether the last keep-alive ping is still unanswered. */
  readonly awaiting_pong: boolean
}

export class ServerConnection implements SessionConnection {
  readonly id: number = ++connection_counter
  private readonly _receiver = new Receiver()
  private readonly _inbox: BoundedInbox<AnyMessage>
  private _handling = false
  private _closed = false
  private _ping_count = 0
  private _awaiting_pong = false
  private readonly _budget: SendBudget
  /** Bytes of the message being received so far (for metrics). */
  private _receiving_bytes = 0
  /** Set by a drain: the socket is not read again. */
  private _reading_stopped = false
  private _idle_waiters: Array<() => void> = []

  constructor(
    readonly session: ServerSession,
    private readonly _transport: WebSocketTransport,
    limits: ConnectionLimits = DEFAULT_LIMITS,
    private readonly _metrics: ServerMetrics = NO_METRICS,
  ) {
    this._inbox = new BoundedInbox(
      Math.max(1, limits.max_queued_messages),
      () => _transport.pause?.(),
      () => {
        if (!this._reading_stopped) _transport.resume?.()
      },
    )
    this._budget = new SendBudget(this, _transport, limits)
  }

  get closed(): boolean {
    return this._closed
  }

  get stats(): ConnectionStats {
    return {
      ...this._budget.stats,
      queued_messages: this._inbox.length,
      peak_queued_messages: this._inbox.peak,
      reading_paused: this._inbox.paused,
      awaiting_pong: this._awaiting_pong,
    }
  }

  /** Writes all fragments of a message back to back (replies always go: the budget holds back patches and reading). */
  send_message(message: Message): void {
    if (this._closed) return
    let bytes = 0
    for (const fragment of message_fragments(message)) {
      this._transport.send(fragment)
      bytes += typeof fragment === "string" ? Buffer.byteLength(fragment) : fragment.byteLength
    }
    this._metrics.message_sent(message.header.msgtype, bytes)
    this._budget.sent(bytes)
  }

  /**
   * Takes a batch of patch events instead of a PATCH-DOC when the socket holds more than the budget
   * (or a fold is already running); true if it did, and then the session must not send the batch.
   * Must be called before the batch is encoded for the other connections (encoding updates which
   * models the peers know, and a folding connection keeps its own view of that).
   */
  take_patch(events: readonly DocumentPatchedEvent[]): boolean {
    if (this._closed) return true
    return this._budget.take_patch(events)
  }

  /** Feeds one received frame (text frames as strings). */
  receive(fragment: string | Uint8Array): void {
    if (this._closed) return
    if (this._metrics !== NO_METRICS) this._receiving_bytes += typeof fragment === "string" ? Buffer.byteLength(fragment) : fragment.byteLength
    let message: AnyMessage | null
    try {
      message = this._receiver.consume(fragment)
    } catch (error) {
      const code = close_code_for(error)
      const text = error instanceof Error ? error.message : String(error)
      log.warning(`Closing websocket of session ${repr(this.session.id)}: ${text}`)
      this.close(code, text)
      return
    }
    if (message === null) return
    if (this._metrics !== NO_METRICS) {
      this._metrics.message_received(message.header.msgtype, this._receiving_bytes)
      this._receiving_bytes = 0
    }
    // One message at a time, in order: a reply proves every earlier message was handled.
    this._inbox.push(message)
    if (!this._handling) void this._handle_queued()
  }

  private async _handle_queued(): Promise<void> {
    this._handling = true
    try {
      for (;;) {
        // Like Python, read on only once what was written has gone out (here: is back under the budget).
        await this._budget.room()
        if (this._closed || this.session.destroyed) {
          this._inbox.clear()
          return
        }
        const message = this._inbox.shift()
        if (message === undefined) return
        await this._handle(message)
      }
    } finally {
      this._handling = false
      for (const w of this._idle_waiters.splice(0)) w()
    }
  }

  /**
   * Stops reading the socket for good (a drain): messages already received are still handled.
   * Resolves once none is left to handle (or the connection closed).
   */
  stop_reading(): Promise<void> {
    this._reading_stopped = true
    this._transport.pause?.()
    if (this._closed || (!this._handling && this._inbox.length === 0)) return Promise.resolve()
    return new Promise((resolve) => this._idle_waiters.push(resolve))
  }

  /** Sends what was folded for this slow connection now, whatever its socket holds (a drain, before the close). */
  flush_folded(): Promise<void> {
    return this._budget.flush_folded()
  }

  private async _handle(message: AnyMessage): Promise<void> {
    try {
      await handle_message(this, message)
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error)
      log.error(`error handling message ${message.header.msgtype} from a connection of session ${repr(this.session.id)}: ${text}`, error)
      // Failing to handle a well-formed message is always 10000, as in Bokeh.
      this.close(CloseCodes.SERVER_ERROR, text)
    }
  }

  /**
   * Sends a keep-alive ping whose payload is a per-connection counter (docs/protocol.md §1.7). A peer that
   * has not answered the previous one by now is gone (or stopped reading): it is closed.
   */
  ping(): void {
    if (this._closed) return
    if (this._awaiting_pong) {
      log.info(`Closing websocket of session ${repr(this.session.id)}: no pong within the keep-alive interval`)
      this.close(ServerCloseCodes.KEEP_ALIVE_TIMEOUT, "no answer to the keep-alive ping")
      return
    }
    this._awaiting_pong = true
    this._transport.ping(String(this._ping_count++))
  }

  /** The peer answered a ping. */
  pong(): void {
    this._awaiting_pong = false
  }

  close(code: number, reason: string): void {
    if (this._closed) return
    this._closed = true
    this._stop()
    this._transport.close(code, close_reason(reason))
    // Read again so the peer's answering close frame ends the connection (later messages are ignored).
    if (this._reading_stopped) this._transport.resume?.()
  }

  /** @internal the transport closed: stop handling messages. */
  _detach(): void {
    this._closed = true
    this._stop()
    this.session.unsubscribe(this)
  }

  private _stop(): void {
    this._inbox.clear()
    this._budget.stop()
    for (const w of this._idle_waiters.splice(0)) w()
  }
}
