/**
 * `ServerConnection`: one websocket attached to one session. It reassembles messages, handles them
 * one at a time in arrival order (protocol_handler.ts) and writes every message's fragments in one
 * go, so messages never interleave on the wire.
 *
 * Memory per connection is bounded both ways:
 * - Out: while more than `max_buffered_bytes` wait to be written, the session's patches are not
 *   queued but folded into a `PatchCoalescer`, sent as one patch once the socket drains; the next
 *   message is not handled until then either. A connection over the budget for longer than
 *   `stall_timeout_milliseconds` (unless it took a budget's worth of bytes meanwhile), or whose
 *   missed changes could not be folded, is closed with 1013 so the client reconnects and pulls the
 *   document again.
 * - In: one message is handled at a time with at most `max_queued_messages` behind it; then the
 *   socket is paused.
 */
import { message_fragments, type Message } from "../protocol/message.ts"
import { Receiver } from "../protocol/receiver.ts"
import { CloseCodes, close_code_for } from "../protocol/close_codes.ts"
import { create_message, type AnyMessage } from "../protocol/message.ts"
import type { DocumentPatchedEvent } from "../document/events.ts"
import { log } from "../util/logging.ts"
import { repr } from "../util/repr.ts"
import { PatchCoalescer } from "./coalescer.ts"
import { NO_METRICS, type ServerMetrics } from "./metrics.ts"
import { BoundedInbox } from "./inbox.ts"
import { DEFAULTS } from "./options.ts"
import { handle_message } from "./protocol_handler.ts"
import type { ServerSession, SessionConnection } from "./session.ts"
import { ServerCloseCodes, close_reason, type WebSocketTransport } from "./transport.ts"

let connection_counter = 0

export interface ConnectionLimits {
  /** Outgoing bytes the socket may hold before patches are folded instead of sent. */
  readonly max_buffered_bytes: number
  /** How long a connection may stay over `max_buffered_bytes` before it is closed (0: never). */
  readonly stall_timeout_milliseconds: number
  /** Complete messages waiting behind the one being handled before the socket is paused. */
  readonly max_queued_messages: number
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  max_buffered_bytes: DEFAULTS.websocket_max_buffered_bytes,
  stall_timeout_milliseconds: DEFAULTS.websocket_stall_timeout_milliseconds,
  max_queued_messages: DEFAULTS.websocket_max_queued_messages,
}

/** What a connection reports about its buffers (for tests, benchmarks and logs). */
export interface ConnectionStats {
  /** Outgoing bytes not yet written to the OS now, and the most ever seen right after a send. */
  readonly buffered_bytes: number
  readonly peak_buffered_bytes: number
  /** Bytes of the largest message sent: the peak stays within the budget plus this (plus frame headers). */
  readonly largest_message_bytes: number
  /** Whether patches are being folded now; events folded in all; folded attributes now. */
  readonly coalescing: boolean
  readonly coalesced_events: number
  readonly coalesced_size: number
  /** Times a folded patch was sent after the socket drained. */
  readonly catch_ups: number
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
  private _coalescer: PatchCoalescer | null = null
  private _catch_up_scheduled = false
  private _stall_timer: NodeJS.Timeout | null = null
  private _room_waiters: Array<() => void> = []
  private _peak_buffered = 0
  private _largest_message = 0
  /** Bytes given to the transport in all; minus what it still holds, what the peer took. */
  private _bytes_sent = 0
  private _coalesced_events = 0
  private _catch_ups = 0
  /** Bytes of the message being received so far (for metrics). */
  private _receiving_bytes = 0
  /** Set by a drain: the socket is not read again. */
  private _reading_stopped = false
  private _idle_waiters: Array<() => void> = []

  constructor(
    readonly session: ServerSession,
    private readonly _transport: WebSocketTransport,
    private readonly _limits: ConnectionLimits = DEFAULT_LIMITS,
    private readonly _metrics: ServerMetrics = NO_METRICS,
  ) {
    this._inbox = new BoundedInbox(
      Math.max(1, _limits.max_queued_messages),
      () => _transport.pause?.(),
      () => {
        if (!this._reading_stopped) _transport.resume?.()
      },
    )
    _transport.on_drain?.(() => this._drained())
  }

  get closed(): boolean {
    return this._closed
  }

  get stats(): ConnectionStats {
    return {
      buffered_bytes: this._buffered(),
      peak_buffered_bytes: this._peak_buffered,
      largest_message_bytes: this._largest_message,
      coalescing: this._coalescer !== null,
      coalesced_events: this._coalesced_events + (this._coalescer?.events ?? 0),
      coalesced_size: this._coalescer?.size ?? 0,
      catch_ups: this._catch_ups,
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
    if (bytes > this._largest_message) this._largest_message = bytes
    this._bytes_sent += bytes
    this._metrics.message_sent(message.header.msgtype, bytes)
    const buffered = this._buffered()
    if (buffered > this._peak_buffered) this._peak_buffered = buffered
    if (buffered > this._limits.max_buffered_bytes) this._start_stall_timer()
  }

  /**
   * Takes a batch of patch events instead of a PATCH-DOC when the socket holds more than the budget
   * (or a fold is already running); true if it did, and then the session must not send the batch.
   * Must be called before the batch is encoded for the other connections (encoding updates which
   * models the peers know, and a folding connection keeps its own view of that).
   */
  take_patch(events: readonly DocumentPatchedEvent[]): boolean {
    if (this._closed) return true
    if (this._coalescer === null) {
      if (this._buffered() <= this._limits.max_buffered_bytes) return false
      this._coalescer = new PatchCoalescer(this.session.document, this, { max_stream_bytes: this._limits.max_buffered_bytes, max_messages: 1000 })
      this._start_stall_timer()
    }
    this._coalescer.add(events)
    if (this._coalescer.overflowed) this._too_far_behind("changes it missed cannot be folded")
    return true
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
        await this._room()
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
  async flush_folded(): Promise<void> {
    if (this._closed || this._coalescer === null) return
    await this.session.with_document_locked(() => this._send_folded())
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
    this._coalescer = null
    this._inbox.clear()
    this._clear_stall_timer()
    for (const w of this._room_waiters.splice(0)) w()
    for (const w of this._idle_waiters.splice(0)) w()
  }

  private _buffered(): number {
    return this._transport.buffered_amount?.() ?? 0
  }

  /** Resolves once the socket holds no more than the budget (or the connection closed). */
  private _room(): Promise<void> {
    if (this._closed || this._buffered() <= this._limits.max_buffered_bytes) return Promise.resolve()
    this._start_stall_timer()
    return new Promise((resolve) => this._room_waiters.push(resolve))
  }

  private _drained(): void {
    if (this._closed) return
    if (this._buffered() > this._limits.max_buffered_bytes) return
    this._clear_stall_timer()
    for (const w of this._room_waiters.splice(0)) w()
    if (this._coalescer !== null) this._schedule_catch_up()
  }

  /** Sends what was folded, holding the document lock so no batch is half in it. */
  private _schedule_catch_up(): void {
    if (this._catch_up_scheduled) return
    this._catch_up_scheduled = true
    void this.session
      .with_document_locked(() => {
        this._catch_up_scheduled = false
        this._send_folded()
      })
      .catch((error: unknown) => {
        log.error(`error sending folded changes to a connection of session ${repr(this.session.id)}`, error)
        this._too_far_behind("its folded changes could not be sent")
      })
  }

  /** Sends the folded patch (call holding the document lock). */
  private _send_folded(): void {
    const coalescer = this._coalescer
    if (this._closed || coalescer === null) return
    this._coalescer = null
    this._coalesced_events += coalescer.events
    const { events, buffers } = coalescer.build()
    this._catch_ups += 1
    if (events.length > 0) this.send_message(create_message("PATCH-DOC", { events }, { buffers }))
  }

  private _start_stall_timer(): void {
    if (this._stall_timer !== null || this._closed || this._limits.stall_timeout_milliseconds <= 0) return
    const taken_before = this._bytes_taken()
    this._stall_timer = setTimeout(() => {
      this._stall_timer = null
      if (this._buffered() <= this._limits.max_buffered_bytes) this._drained()
      // A slow link that took a whole budget's worth meanwhile is reading: it catches up when it can.
      else if (this._bytes_taken() - taken_before >= this._limits.max_buffered_bytes) this._start_stall_timer()
      else this._too_far_behind(`its outgoing buffer stayed over ${this._limits.max_buffered_bytes} bytes for ${this._limits.stall_timeout_milliseconds} ms`)
    }, this._limits.stall_timeout_milliseconds)
    this._stall_timer.unref()
  }

  private _bytes_taken(): number {
    return this._bytes_sent - this._buffered()
  }

  private _clear_stall_timer(): void {
    if (this._stall_timer === null) return
    clearTimeout(this._stall_timer)
    this._stall_timer = null
  }

  private _too_far_behind(why: string): void {
    log.warning(`Closing websocket of session ${repr(this.session.id)}: the client is too far behind (${why}); it will reconnect and pull the document`)
    this.close(ServerCloseCodes.TOO_FAR_BEHIND, "too far behind: reconnect and pull the document again")
  }
}
