/**
 * A raw-protocol client that keeps the document it was sent: the pulled document with every PATCH-DOC
 * applied in order, as BokehJS keeps it. It can stop reading its socket (`pause`) like a suspended
 * laptop, and check that what it holds equals what a PULL-DOC of the same connection returns.
 */
import WebSocket from "ws"

import { Document } from "../../src/document/document.ts"
import { create_message, message_fragments, type AnyMessage } from "../../src/protocol/message.ts"
import { Receiver } from "../../src/protocol/receiver.ts"
import { generate_jwt_token } from "../../src/util/token.ts"
import { BenchFailure } from "./types.ts"

export class DocClient {
  readonly ws: WebSocket
  private readonly receiver = new Receiver()
  private readonly waiting = new Map<string, (m: AnyMessage) => void>()
  /** Applying is sequential: patches land in order even though applying is async. */
  private applying: Promise<void> = Promise.resolve()
  doc: Document | null = null
  patches = 0
  close_code: number | null = null
  readonly closed: Promise<number>

  private constructor(url: string, session_id: string) {
    this.ws = new WebSocket(url, ["bokeh", generate_jwt_token(session_id)], { perMessageDeflate: false })
    this.closed = new Promise((resolve) =>
      this.ws.once("close", (code) => {
        this.close_code = code
        for (const w of this.waiting.values()) w(create_message("ERROR", { text: `closed ${code}`, traceback: null }) as AnyMessage)
        this.waiting.clear()
        resolve(code)
      }),
    )
    this.ws.on("error", () => {})
    this.ws.on("message", (data, is_binary) => {
      const m = this.receiver.consume(is_binary ? (data as Buffer) : (data as Buffer).toString("utf8"))
      if (m === null) return
      const reqid = m.header.reqid
      if (reqid !== undefined && this.waiting.has(reqid)) {
        const w = this.waiting.get(reqid)!
        this.waiting.delete(reqid)
        // Handed over after every patch before it was applied.
        this.applying = this.applying.then(() => w(m))
      } else if (m.header.msgtype === "PATCH-DOC") {
        this.patches += 1
        this.applying = this.applying.then(async () => {
          if (this.doc !== null) await this.doc.apply_json_patch(m.content, m.buffers)
        })
      }
    })
  }

  static async open(url: string, session_id: string): Promise<DocClient> {
    const c = new DocClient(url, session_id)
    await new Promise<void>((resolve, reject) => {
      c.ws.once("open", () => resolve())
      c.ws.once("error", (e) => reject(new BenchFailure(`cannot connect to ${url}: ${e.message}`)))
    })
    return c
  }

  request(msgtype: "PULL-DOC-REQ" | "SERVER-INFO-REQ"): Promise<AnyMessage> {
    const m = create_message(msgtype, {})
    const reply = new Promise<AnyMessage>((resolve) => this.waiting.set(m.header.msgid, resolve))
    for (const f of message_fragments(m)) this.ws.send(f, { binary: typeof f !== "string" })
    return reply
  }

  /** Pulls the document and keeps it (from here on patches apply to it). */
  async pull(): Promise<void> {
    const reply = await this.request("PULL-DOC-REQ")
    if (reply.header.msgtype !== "PULL-DOC-REPLY") throw new BenchFailure(`expected PULL-DOC-REPLY, got ${reply.header.msgtype}`)
    this.doc = Document.from_json((reply.content as { doc: unknown }).doc, reply.buffers)
  }

  /**
   * Whether the document held equals the server's: a PULL-DOC-REPLY is written under the document
   * lock, after every patch sent before it, so the held document must equal the reply's.
   */
  async matches_server(): Promise<boolean> {
    const reply = await this.request("PULL-DOC-REQ")
    if (reply.header.msgtype !== "PULL-DOC-REPLY" || this.doc === null) return false
    const fresh = Document.from_json((reply.content as { doc: unknown }).doc, reply.buffers)
    return JSON.stringify(fresh.to_json()) === JSON.stringify(this.doc.to_json())
  }

  close(): void {
    this.ws.close(1000, "closed")
  }
}
