/**
 * The outgoing half of a `ServerConnection`'s memory bound. While more than `max_buffered_bytes` wait to
 * be written, the session's patches are not queued but folded into a `PatchCoalescer`, sent as one patch
 * once the socket drains, and the connection handles no further message until then. A connection over
 * the budget for longer than `stall_timeout_milliseconds` (unless it took a budget's worth of bytes
 * meanwhile), or whose missed changes could not be folded, is closed with 1013 so the client reconnects
 * and pulls the document again.
 */
import type { DocumentPatchedEvent } from "../document/events.ts"
import { create_message, type Message } from "../protocol/message.ts"
import { log } from "../util/logging.ts"
import { repr } from "../util/repr.ts"
import { PatchCoalescer } from "./coalescer.ts"
import type { ServerSession } from "./session.ts"
import { ServerCloseCodes, type WebSocketTransport } from "./transport.ts"

export interface ConnectionLimits {
  /** Outgoing bytes the socket may hold before patches are folded instead of sent. */
  readonly max_buffered_bytes: number
  /** How long a connection may stay over `max_buffered_bytes` before it is closed (0: never). */
  readonly stall_timeout_milliseconds: number
  /** Complete messages waiting behind the one being handled before the socket is paused. */
  readonly max_queued_messages: number
}

/** The connection the budget belongs to (it is also the setter the folded patches are built for). */
export interface BudgetedConnection {
  readonly session: ServerSession
  readonly closed: boolean
  send_message(message: Message): void
  close(code: number, reason: string): void
}

/** What the budget reports (part of `ConnectionStats`). */
export interface SendBudgetStats {
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
}

export class SendBudget {
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

  constructor(
    private readonly _connection: BudgetedConnection,
    private readonly _transport: WebSocketTransport,
    private readonly _limits: ConnectionLimits,
  ) {
    _transport.on_drain?.(() => this._drained())
  }

  get stats(): SendBudgetStats {
    return {
      buffered_bytes: this._buffered(),
      peak_buffered_bytes: this._peak_buffered,
      largest_message_bytes: this._largest_message,
      coalescing: this._coalescer !== null,
      coalesced_events: this._coalesced_events + (this._coalescer?.events ?? 0),
      coalesced_size: this._coalescer?.size ?? 0,
      catch_ups: this._catch_ups,
    }
  }

  /** Accounts for a message of `bytes` just given to the transport. */
  sent(bytes: number): void {
    if (bytes > this._largest_message) this._largest_message = bytes
    this._bytes_sent += bytes
    const buffered = this._buffered()
    if (buffered > this._peak_buffered) this._peak_buffered = buffered
    if (buffered > this._limits.max_buffered_bytes) this._start_stall_timer()
  }

  /** See `ServerConnection.take_patch`. */
  take_patch(events: readonly DocumentPatchedEvent[]): boolean {
    if (this._coalescer === null) {
      if (this._buffered() <= this._limits.max_buffered_bytes) return false
      const session = this._connection.session
      this._coalescer = new PatchCoalescer(session.document, this._connection, { max_stream_bytes: this._limits.max_buffered_bytes, max_messages: 1000 })
      this._start_stall_timer()
    }
    this._coalescer.add(events)
    if (this._coalescer.overflowed) this._too_far_behind("changes it missed cannot be folded")
    return true
  }

  /** Resolves once the socket holds no more than the budget (or the connection closed). */
  room(): Promise<void> {
    if (this._connection.closed || this._buffered() <= this._limits.max_buffered_bytes) return Promise.resolve()
    this._start_stall_timer()
    return new Promise((resolve) => this._room_waiters.push(resolve))
  }

  /** Sends what was folded now, whatever the socket holds (a drain, before the close). */
  async flush_folded(): Promise<void> {
    if (this._connection.closed || this._coalescer === null) return
    await this._connection.session.with_document_locked(() => this._send_folded())
  }

  /** The connection closed: drop what was folded, stop the timer, wake who waits for room. */
  stop(): void {
    this._coalescer = null
    this._clear_stall_timer()
    for (const w of this._room_waiters.splice(0)) w()
  }

  private _buffered(): number {
    return this._transport.buffered_amount?.() ?? 0
  }

  private _drained(): void {
    if (this._connection.closed) return
    if (this._buffered() > this._limits.max_buffered_bytes) return
    this._clear_stall_timer()
    for (const w of this._room_waiters.splice(0)) w()
    if (this._coalescer !== null) this._schedule_catch_up()
  }

  /** Sends what was folded, holding the document lock so no batch is half in it. */
  private _schedule_catch_up(): void {
    if (this._catch_up_scheduled) return
    this._catch_up_scheduled = true
    const session = this._connection.session
    void session
      .with_document_locked(() => {
        this._catch_up_scheduled = false
        this._send_folded()
      })
      .catch((error: unknown) => {
        log.error(`error sending folded changes to a connection of session ${repr(session.id)}`, error)
        this._too_far_behind("its folded changes could not be sent")
      })
  }

  /** Sends the folded patch (call holding the document lock). */
  private _send_folded(): void {
    const coalescer = this._coalescer
    if (this._connection.closed || coalescer === null) return
    this._coalescer = null
    this._coalesced_events += coalescer.events
    const { events, buffers } = coalescer.build()
    this._catch_ups += 1
    if (events.length > 0) this._connection.send_message(create_message("PATCH-DOC", { events }, { buffers }))
  }

  private _start_stall_timer(): void {
    if (this._stall_timer !== null || this._connection.closed || this._limits.stall_timeout_milliseconds <= 0) return
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
    log.warning(
      `Closing websocket of session ${repr(this._connection.session.id)}: the client is too far behind (${why}); it will reconnect and pull the document`,
    )
    this._connection.close(ServerCloseCodes.TOO_FAR_BEHIND, "too far behind: reconnect and pull the document again")
  }
}
