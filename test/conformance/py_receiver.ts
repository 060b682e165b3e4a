/**
 * Python `bokeh.protocol.receiver.Receiver` rules, applied to the frames our server sends a
 * Python client (docs/protocol.md §3.4): header, metadata and content as text frames, the header has a
 * `msgtype`, then per `num_buffers` a text buffer header whose keys are exactly `{"id"}` and a
 * binary payload. Deliberately independent of our own Receiver, so both can't share a bug.
 */
import assert from "node:assert/strict"

import type { TornadoWs, WsFrame } from "./tornado_ws.ts"

export interface PyMessage {
  /** The header frame's text, as sent. */
  readonly header_text: string
  readonly header: { msgid: string; msgtype: string; reqid?: string; num_buffers?: number }
  readonly metadata: unknown
  readonly content: Record<string, unknown>
  /** Buffer id → bytes, in arrival order. */
  readonly buffers: Map<string, Uint8Array>
}

/** Reads Bokeh messages off a connection, frame by frame, as Python's client would. */
export class PyReceiver {
  private next_frame = 1
  readonly messages: PyMessage[] = []

  constructor(readonly ws: TornadoWs) {}

  private async text(what: string): Promise<string> {
    const f: WsFrame = await this.ws.frame(this.next_frame++)
    assert.equal(f.kind, "text", `${what}: Python's Receiver raises ValidationError on a ${f.kind} frame where text is expected`)
    return (f as { text: string }).text
  }

  /** The next complete message. */
  async next(): Promise<PyMessage> {
    const header_text = await this.text("header")
    const header = JSON.parse(header_text) as PyMessage["header"]
    assert.equal(typeof header.msgtype, "string", "a header without msgtype is a ProtocolError")
    assert.equal(typeof header.msgid, "string")
    const metadata = JSON.parse(await this.text("metadata")) as unknown
    const content = JSON.parse(await this.text("content")) as Record<string, unknown>
    const buffers = new Map<string, Uint8Array>()
    for (let i = 0; i < (header.num_buffers ?? 0); i++) {
      const bh = JSON.parse(await this.text("buffer header")) as Record<string, unknown>
      assert.deepEqual(Object.keys(bh), ["id"], "Python requires a buffer header's keys to be exactly {id}")
      const f = await this.ws.frame(this.next_frame++)
      assert.equal(f.kind, "binary", "a buffer payload must be a binary frame")
      buffers.set(bh["id"] as string, (f as { data: Uint8Array }).data)
    }
    const m = { header_text, header, metadata, content, buffers }
    this.messages.push(m)
    return m
  }

  /** Reads messages until the reply to `reqid`, returning everything read (the reply last). */
  async until_reply(reqid: string): Promise<PyMessage[]> {
    const out: PyMessage[] = []
    for (;;) {
      const m = await this.next()
      out.push(m)
      if (m.header.reqid === reqid) return out
    }
  }

  /** The next frame after the messages read so far (e.g. the close frame). */
  async raw_frame(): Promise<WsFrame> {
    return await this.ws.frame(this.next_frame++)
  }
}
