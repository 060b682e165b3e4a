/**
 * A minimal raw-protocol Bokeh client over `ws` for the benchmarks: every reply is validated,
 * and anything unexpected (ERROR, wrong msgtype or reqid, timeout, early close) throws a BenchFailure.
 */
import WebSocket from "ws"

import { create_message, message_fragments, type AnyMessage } from "../../src/protocol/message.ts"
import type { ContentOf, MsgType } from "../../src/protocol/msgtypes.ts"
import { Receiver } from "../../src/protocol/receiver.ts"
import { generate_jwt_token, generate_session_id } from "../../src/util/token.ts"
import { BenchFailure } from "./types.ts"

const TIMEOUT_MS = 10_000

/** `http://host:port/app` (or ws://…, with or without /ws) → `ws://host:port/app/ws`. */
export function ws_url(target: string): string {
  const url = new URL(target)
  url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:"
  if (!url.pathname.endsWith("/ws")) url.pathname = `${url.pathname.replace(/\/$/, "")}/ws`
  return url.toString()
}

function describe(m: AnyMessage): string {
  if (m.header.msgtype === "ERROR") {
    const c = m.content as ContentOf["ERROR"]
    return `ERROR "${c.text}"`
  }
  return m.header.msgtype
}

export class BokehClient {
  private readonly ws: WebSocket
  private readonly receiver = new Receiver()
  private readonly inbox: AnyMessage[] = []
  private waiter: (() => void) | null = null
  private failure: Error | null = null
  private closed = false
  private readonly closed_promise: Promise<void>
  /** Websocket payload bytes received so far (text and binary frames, without framing overhead). */
  bytes_received = 0

  private constructor(
    readonly url: string,
    readonly label: string,
    token: string,
  ) {
    this.ws = new WebSocket(url, ["bokeh", token], { perMessageDeflate: false })
    this.closed_promise = new Promise((resolve) => this.ws.once("close", () => resolve()))
    this.ws.on("message", (data, is_binary) => {
      const bytes = data as Buffer
      this.bytes_received += bytes.length
      try {
        const m = this.receiver.consume(is_binary ? bytes : bytes.toString("utf8"))
        if (m !== null) this.inbox.push(m)
      } catch (error) {
        this.fail(`${label}: malformed message from ${url}: ${(error as Error).message}`)
      }
      this.wake()
    })
    this.ws.on("close", (code, reason) => {
      this.closed = true
      if (this.failure === null)
        this.failure = new BenchFailure(`${label}: ${url} closed the connection (code ${code}${reason.length > 0 ? `, "${reason.toString()}"` : ""})`)
      this.wake()
    })
    this.ws.on("error", (error) => this.fail(`${label}: websocket error talking to ${url}: ${error.message}`))
  }

  /** Opens a session (a new one, or the one `token` names) and checks that the first message is ACK. */
  static async open(url: string, label: string, token = generate_jwt_token(generate_session_id())): Promise<BokehClient> {
    const client = new BokehClient(url, label, token)
    await new Promise<void>((resolve, reject) => {
      client.ws.once("open", () => resolve())
      client.ws.once("unexpected-response", (_req, res) =>
        reject(new BenchFailure(`${label}: ${url} refused the websocket upgrade with HTTP ${res.statusCode}`)),
      )
      client.ws.once("error", (error) => reject(new BenchFailure(`${label}: cannot connect to ${url}: ${error.message}`)))
    })
    ;(client.ws as unknown as { _socket?: { setNoDelay(v: boolean): void } })._socket?.setNoDelay(true)
    const first = await client.next("ACK")
    if (first.header.msgtype !== "ACK") throw new BenchFailure(`${label}: expected ACK as the first message from ${url}, got ${describe(first)}`)
    return client
  }

  private fail(message: string): void {
    if (this.failure === null) this.failure = new BenchFailure(message)
    this.wake()
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = null
    w?.()
  }

  /** Messages received and not yet taken by next() or poll(). */
  get pending(): number {
    return this.inbox.length
  }

  /** The next message; `what` names what is awaited, for error messages. */
  async next(what: string): Promise<AnyMessage> {
    const m = await this.poll(TIMEOUT_MS, what)
    if (m === null) throw new BenchFailure(`${this.label}: timed out after ${TIMEOUT_MS} ms waiting for ${what} from ${this.url}`)
    return m
  }

  /** The next message, or null if none arrives within `timeout_ms`; an early close or malformed frame throws. */
  async poll(timeout_ms: number, what: string): Promise<AnyMessage | null> {
    const deadline = Date.now() + timeout_ms
    for (;;) {
      const m = this.inbox.shift()
      if (m !== undefined) return m
      if (this.failure !== null) throw new BenchFailure(`${this.failure.message} while waiting for ${what}`)
      const left = deadline - Date.now()
      if (left <= 0) return null
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiter = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  /** Sends a request; returns its msgid. */
  send<T extends MsgType>(msgtype: T, content: ContentOf[T]): string {
    const m = create_message(msgtype, content)
    for (const f of message_fragments(m)) this.ws.send(f, { binary: typeof f !== "string" })
    return m.header.msgid
  }

  /**
   * Waits for the reply to `msgid` of type `expected`; other messages (e.g. PATCH-DOCs) before
   * it are returned alongside. An ERROR or a reply of another type throws.
   */
  async reply(msgid: string, expected: MsgType): Promise<{ reply: AnyMessage; before: AnyMessage[] }> {
    const before: AnyMessage[] = []
    for (;;) {
      const m = await this.next(`${expected} (reply to ${msgid})`)
      if (m.header.msgtype === "ERROR") throw new BenchFailure(`${this.label}: ${this.url} answered with ${describe(m)} where ${expected} was expected`)
      if (m.header.reqid === msgid) {
        if (m.header.msgtype !== expected) throw new BenchFailure(`${this.label}: expected ${expected} in reply, got ${describe(m)}`)
        return { reply: m, before }
      }
      before.push(m)
    }
  }

  async close(): Promise<void> {
    if (!this.closed) this.ws.close(1000)
    await this.closed_promise
  }
}

/** Finds the model JSON `{type: "object", name: <type>, attributes: {name}}` with that name. */
export function find_model(json: unknown, name: string): { id: string; name: string; attributes: Record<string, unknown> } | null {
  const stack: unknown[] = [json]
  while (stack.length > 0) {
    const v = stack.pop()
    if (Array.isArray(v)) stack.push(...v)
    else if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>
      const attrs = o["attributes"] as Record<string, unknown> | undefined
      if (o["type"] === "object" && attrs?.["name"] === name) return o as { id: string; name: string; attributes: Record<string, unknown> }
      stack.push(...Object.values(o))
    }
  }
  return null
}

/** PULL-DOC-REQ → validated PULL-DOC-REPLY whose document has a Slider named "amplitude"; returns its id. */
export async function pull_sliders_doc(client: BokehClient): Promise<{ slider_id: string }> {
  const { reply } = await client.reply(client.send("PULL-DOC-REQ", {}), "PULL-DOC-REPLY")
  const doc = (reply.content as ContentOf["PULL-DOC-REPLY"]).doc
  const roots = doc?.["roots"]
  if (!Array.isArray(roots) || roots.length === 0)
    throw new BenchFailure(`${client.label}: PULL-DOC-REPLY from ${client.url} has no roots (expected the sliders app)`)
  const slider = find_model(roots, "amplitude")
  if (slider === null || slider.name !== "Slider")
    throw new BenchFailure(
      `${client.label}: PULL-DOC-REPLY from ${client.url} lacks the expected root content: a Slider named "amplitude" (is the target the sliders-like app?)`,
    )
  return { slider_id: slider.id }
}
