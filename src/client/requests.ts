/**
 * The client's requests in flight, matched to the server's replies by `msgid`/`reqid`. Several may be
 * in flight at once (Python's client waits for one at a time); our PATCH-DOCs are tracked too, so an
 * ERROR answering one can be reported although nobody waits for it.
 */

import { ClientError, ProtocolError, type BokehError } from "../core/errors.ts"
import type { AnyMessage } from "../protocol/message.ts"
import type { ContentOf, MsgType } from "../protocol/msgtypes.ts"

interface Pending {
  resolve(reply: AnyMessage): void
  reject(error: Error): void
  /** Runs inside message processing, before any later message is handled. */
  on_reply?: ((reply: AnyMessage) => void) | undefined
}

export class PendingRequests {
  private readonly _pending = new Map<string, Pending>()
  /** msgids of our PATCH-DOCs whose OK/ERROR has not arrived yet. */
  private readonly _patches = new Set<string>()

  /** A promise for the reply to the request `msgid` (`on_reply` runs first, in message order). */
  expect(msgid: string, on_reply?: (reply: AnyMessage) => void): Promise<AnyMessage> {
    return new Promise<AnyMessage>((resolve, reject) => this._pending.set(msgid, { resolve, reject, on_reply }))
  }

  /** Remembers a PATCH-DOC sent, whose answer nobody awaits. */
  patch_sent(msgid: string): void {
    this._patches.add(msgid)
  }

  /**
   * Settles the request `message` answers. Returns false if it answers none of ours; true if it did,
   * and then `on_patch_error` has been called if it was an ERROR to one of our PATCH-DOCs.
   */
  settle(message: AnyMessage, on_patch_error: (error: ClientError) => void): boolean {
    const reqid = message.header.reqid
    if (reqid === undefined) return false
    const pending = this._pending.get(reqid)
    if (pending !== undefined) {
      this._pending.delete(reqid)
      try {
        pending.on_reply?.(message)
      } catch (error) {
        pending.reject(error as Error)
        return true
      }
      pending.resolve(message)
      return true
    }
    if (!this._patches.delete(reqid)) return false
    if (message.header.msgtype === "ERROR") {
      const { text } = message.content as ContentOf["ERROR"]
      on_patch_error(new ClientError("BK_ERR_SERVER_ERROR", `the server rejected a PATCH-DOC: ${text}`))
    }
    return true
  }

  /** Fails every request in flight with `error` and forgets the PATCH-DOCs (the connection ended). */
  fail_all(error: BokehError): void {
    this._patches.clear()
    for (const pending of this._pending.values()) pending.reject(error)
    this._pending.clear()
  }
}

/** `reply` if it is the `expected` answer; throws BK_ERR_SERVER_ERROR for an ERROR, BK_ERR_PROTOCOL otherwise. */
export function check_reply(reply: AnyMessage, expected: MsgType, what: string): AnyMessage {
  if (reply.header.msgtype === "ERROR") {
    const { text } = reply.content as ContentOf["ERROR"]
    throw new ClientError("BK_ERR_SERVER_ERROR", `${what}: ${text}`)
  }
  if (reply.header.msgtype !== expected)
    throw new ProtocolError("BK_ERR_PROTOCOL", `${what}: expected ${expected} but the server replied ${reply.header.msgtype}`)
  return reply
}
