/**
 * A raw websocket peer for the fuzzer: sends cases (messages or raw frames), waits for the reply to a
 * msgid or the close, and (for the well-behaved peers) keeps the document it was sent, applying each
 * PATCH-DOC in order as a browser does.
 */
import WebSocket from "ws"

import { ModelDefault, REQUIRED } from "../src/core/has_props.ts"
import { has_model_class, resolve_model_class } from "../src/core/registry.ts"
import { Serializer } from "../src/core/serialization/serializer.ts"
import { Document } from "../src/document/document.ts"
import { create_message, message_fragments, type AnyMessage } from "../src/protocol/message.ts"
import { Receiver } from "../src/protocol/receiver.ts"
import { generate_jwt_token } from "../src/util/token.ts"
import type { Case } from "./generate.ts"

export type Outcome = { readonly reply: AnyMessage } | { readonly closed: number } | { readonly timeout: true }

export class Peer {
  readonly ws: WebSocket
  private readonly receiver = new Receiver()
  private readonly waiting = new Map<string, (m: AnyMessage) => void>()
  private applying: Promise<void> = Promise.resolve()
  private close_waiters: Array<(code: number) => void> = []
  private on_ack: (ok: boolean) => void = () => {}
  /** Resolves true on ACK, false if the connection closes first. */
  readonly acked: Promise<boolean> = new Promise((resolve) => {
    this.on_ack = resolve
  })
  close_code: number | null = null
  /** The document this peer holds (kept peers only). */
  doc: Document | null = null
  patches = 0
  /** A PATCH-DOC this peer could not apply or a frame it could not parse: the server sent something wrong. */
  problem: string | null = null

  private constructor(
    url: string,
    session_id: string,
    private readonly keep: boolean,
  ) {
    this.ws = new WebSocket(url, ["bokeh", generate_jwt_token(session_id)], { perMessageDeflate: false })
    this.ws.on("error", () => {})
    this.ws.once("close", (code) => {
      this.close_code = code
      this.on_ack(false)
      for (const w of this.close_waiters.splice(0)) w(code)
    })
    this.ws.on("message", (data, is_binary) => {
      let m: AnyMessage | null
      try {
        m = this.receiver.consume(is_binary ? (data as Buffer) : (data as Buffer).toString("utf8"))
      } catch (error) {
        this.problem ??= `unparseable frame from the server: ${(error as Error).message}`
        return
      }
      if (m === null) return
      const message = m
      if (message.header.msgtype === "ACK") this.on_ack(true)
      const reqid = message.header.reqid
      const waiter = reqid !== undefined ? this.waiting.get(reqid) : undefined
      if (waiter !== undefined) {
        this.waiting.delete(reqid!)
        // Handed over once every patch before it has been applied.
        this.applying = this.applying.then(() => waiter(message))
      } else if (message.header.msgtype === "PATCH-DOC") {
        this.patches += 1
        if (this.keep) {
          this.applying = this.applying.then(async () => {
            if (this.doc === null) return
            try {
              await this.doc.apply_json_patch(message.content, message.buffers)
            } catch (error) {
              this.problem ??= `a PATCH-DOC from the server does not apply: ${(error as Error).message}`
            }
          })
        }
      }
    })
  }

  /** Connects and waits for ACK (null: refused or closed first). */
  static async open(url: string, session_id: string, keep: boolean): Promise<Peer | null> {
    const p = new Peer(url, session_id, keep)
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref())
    return (await Promise.race([p.acked, timeout])) ? p : null
  }

  get open(): boolean {
    return this.close_code === null && this.ws.readyState === WebSocket.OPEN
  }

  /** Sends a case; returns the msgid a reply would answer (null for raw frames). */
  send(c: Case): string | null {
    if (!this.open) return null
    if (c.kind === "frames") {
      for (const f of c.frames) this.ws.send(f, { binary: typeof f !== "string" })
      return null
    }
    let m
    try {
      m = create_message(c.msgtype as "PATCH-DOC", c.content as never, { buffers: c.buffers })
    } catch {
      // Duplicate buffer ids: send what a buggy client would, by hand.
      const header = JSON.stringify({ msgid: `dup${Math.random()}`, msgtype: c.msgtype, num_buffers: c.buffers.length })
      this.ws.send(header)
      this.ws.send("{}")
      this.ws.send(JSON.stringify(c.content))
      for (const b of c.buffers) {
        this.ws.send(JSON.stringify({ id: b.id }))
        this.ws.send(b.data, { binary: true })
      }
      return null
    }
    const frames = [...message_fragments(m)]
    if (c.header_extra !== undefined && Object.keys(c.header_extra).length > 0)
      frames[0] = JSON.stringify({ ...JSON.parse(frames[0] as string), ...c.header_extra })
    for (const f of frames) this.ws.send(f, { binary: typeof f !== "string" })
    return m.header.msgid
  }

  /** The reply to `msgid`, the close, or a timeout. */
  outcome(msgid: string, timeout_ms: number): Promise<Outcome> {
    if (this.close_code !== null) return Promise.resolve({ closed: this.close_code })
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(msgid)
        resolve({ timeout: true })
      }, timeout_ms)
      this.waiting.set(msgid, (reply) => {
        clearTimeout(timer)
        resolve({ reply })
      })
      this.close_waiters.push((code) => {
        clearTimeout(timer)
        resolve({ closed: code })
      })
    })
  }

  /** Sends a request and waits for its outcome. */
  async request(msgtype: "PULL-DOC-REQ" | "SERVER-INFO-REQ", timeout_ms: number): Promise<Outcome> {
    const id = this.send({ kind: "message", msgtype, content: {}, buffers: [] })
    if (id === null) return { closed: this.close_code ?? 1006 }
    return await this.outcome(id, timeout_ms)
  }

  /** Pulls the document and, for a kept peer, holds it from now on. */
  async pull(timeout_ms: number): Promise<Document | null> {
    const o = await this.request("PULL-DOC-REQ", timeout_ms)
    if (!("reply" in o) || o.reply.header.msgtype !== "PULL-DOC-REPLY") return null
    const doc = Document.from_json((o.reply.content as { doc: unknown }).doc, o.reply.buffers)
    if (this.keep) this.doc = doc
    return doc
  }

  close(): void {
    if (this.open) this.ws.close(1000, "done")
    else this.ws.terminate()
  }
}

/**
 * A canonical text of a document's state, for equality: its JSON with every attribute equal to its
 * class default dropped, so "set to its default" and "never set" compare equal (they behave the same).
 * Defaults that are models are left alone (they are made, with fresh ids, only when read).
 */
export function doc_text(doc: Document): string {
  const s = new Serializer({ known: () => true, arrays: "lists" })
  const normalize = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(normalize)
    if (v === null || typeof v !== "object") return v
    const o = v as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(o)) out[k] = normalize(x)
    if (
      o["type"] === "object" &&
      typeof o["name"] === "string" &&
      has_model_class(o["name"]) &&
      out["attributes"] !== null &&
      typeof out["attributes"] === "object"
    ) {
      const props = (resolve_model_class(o["name"]) as unknown as { __props__: Record<string, { default: unknown }> }).__props__
      const attrs: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(out["attributes"] as Record<string, unknown>)) {
        const d = props[k]?.default
        const is_default = d !== undefined && d !== REQUIRED && !(d instanceof ModelDefault) && JSON.stringify(s.encode(d)) === JSON.stringify(x)
        if (!is_default) attrs[k] = x
      }
      if (Object.keys(attrs).length > 0) out["attributes"] = attrs
      else delete out["attributes"]
    }
    return out
  }
  return JSON.stringify(normalize(JSON.parse(JSON.stringify(doc.to_json()))))
}
