/**
 * `ServerConnection`: one websocket attached to one session. It reassembles messages, handles them
 * one at a time in arrival order (protocol_handler.ts) and writes every message's fragments in one
 * go, so messages never interleave on the wire.
 */
import { message_fragments, type Message } from "../protocol/message.ts"
import { Receiver } from "../protocol/receiver.ts"
import { CloseCodes, close_code_for } from "../protocol/close_codes.ts"
import type { AnyMessage } from "../protocol/message.ts"
import { log } from "../util/logging.ts"
import { repr } from "../util/repr.ts"
import { handle_message } from "./protocol_handler.ts"
import type { ServerSession, SessionConnection } from "./session.ts"
import { close_reason, type WebSocketTransport } from "./transport.ts"

let connection_counter = 0

export class ServerConnection implements SessionConnection {
  readonly id: number = ++connection_counter
  private readonly _receiver = new Receiver()
  private _queue: Promise<void> = Promise.resolve()
  private _closed = false
  private _ping_count = 0

  constructor(readonly session: ServerSession, private readonly _transport: WebSocketTransport) {}

  get closed(): boolean {
    return this._closed
  }

  /** Writes all fragments of a message back to back. */
  send_message(message: Message): void {
    if (this._closed) return
    for (const fragment of message_fragments(message)) this._transport.send(fragment)
  }

  /** Feeds one received frame (text frames as strings). */
  receive(fragment: string | Uint8Array): void {
    if (this._closed) return
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
    const m = message
    // One message at a time, in order: a reply proves every earlier message was handled.
    this._queue = this._queue.then(() => this._handle(m))
  }

  private async _handle(message: AnyMessage): Promise<void> {
    if (this._closed || this.session.destroyed) return
    try {
      await handle_message(this, message)
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error)
      log.error(`error handling message ${message.header.msgtype} from a connection of session ${repr(this.session.id)}: ${text}`, error)
      // Failing to handle a well-formed message is always 10000, as in Bokeh.
      this.close(CloseCodes.SERVER_ERROR, text)
    }
  }

  /** Sends a keep-alive ping whose payload is a per-connection counter (protocol §1.7). */
  ping(): void {
    if (this._closed) return
    this._transport.ping(String(this._ping_count++))
  }

  close(code: number, reason: string): void {
    if (this._closed) return
    this._closed = true
    this._transport.close(code, close_reason(reason))
  }

  /** @internal the transport closed: stop handling messages. */
  _detach(): void {
    this._closed = true
    this.session.unsubscribe(this)
  }
}
