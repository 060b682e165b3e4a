/** Test helpers: a server on 127.0.0.1:0 and a raw `ws` Bokeh client that reassembles messages. */
import WebSocket from "ws"

import { create_message, message_fragments, type AnyMessage, type Message } from "../../../src/protocol/message.ts"
import type { ContentOf, MsgType } from "../../../src/protocol/msgtypes.ts"
import { Receiver } from "../../../src/protocol/receiver.ts"
import { Server, type ApplicationLike } from "../../../src/server/server.ts"
import type { ServerOptions } from "../../../src/server/options.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { generate_jwt_token, generate_session_id, type TokenOptions } from "../../../src/util/token.ts"

set_log_level((process.env["BOKEH_TEST_LOG"] as "info" | undefined) ?? "none")

export async function start_server(apps: Record<string, ApplicationLike>, options: ServerOptions = {}): Promise<Server> {
  const server = new Server(apps, { port: 0, address: "127.0.0.1", ...options })
  await server.start()
  return server
}

export interface Closed {
  code: number
  reason: string
}

/** A raw protocol client: collects every message, lets tests await the next one or a reply. */
export class RawClient {
  readonly messages: AnyMessage[] = []
  readonly ws: WebSocket
  readonly opened: Promise<void>
  readonly closed: Promise<Closed>
  private readonly receiver = new Receiver()
  private waiters: Array<() => void> = []
  error: unknown = null
  /** The last error the ws client reported (e.g. an out-of-range close code). */
  ws_error: unknown = null

  constructor(url: string, token: string | null, options: { headers?: Record<string, string>; protocols?: string[] } = {}) {
    const protocols = options.protocols ?? (token !== null ? ["bokeh", token] : [])
    this.ws = new WebSocket(url, protocols, { headers: options.headers ?? {} })
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve())
      this.ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
      this.ws.once("error", reject)
    })
    this.closed = new Promise((resolve) => this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })))
    this.ws.on("close", () => {
      for (const w of [...this.waiters]) w()
    })
    this.ws.on("error", (e) => {
      this.ws_error = e
    })
    this.ws.on("message", (data, is_binary) => {
      const bytes = data as Buffer
      try {
        const m = this.receiver.consume(is_binary ? bytes : bytes.toString("utf8"))
        if (m !== null) this.messages.push(m)
      } catch (e) {
        this.error = e
      }
      for (const w of [...this.waiters]) w()
    })
  }

  static async connect(
    base: string,
    app: string,
    options: { token?: string; session_id?: string; query?: string; token_options?: TokenOptions; headers?: Record<string, string> } = {},
  ): Promise<RawClient> {
    const session_id = options.session_id ?? generate_session_id()
    const token = options.token ?? generate_jwt_token(session_id, options.token_options)
    const client = new RawClient(`${base.replace(/^http/, "ws")}${app}/ws${options.query !== undefined ? `?${options.query}` : ""}`, token, {
      headers: options.headers ?? {},
    })
    await client.opened
    return client
  }

  /**
   * Waits for a message matching `pred`: woken by each message, failing at once when the socket closes first.
   * `timeout` only turns a hang into an error naming what arrived; it is no measure of speed.
   */
  async wait_for(pred: (m: AnyMessage) => boolean, timeout = 30_000): Promise<AnyMessage> {
    return await this.wake_until(() => this.messages.find(pred), timeout)
  }

  /** Waits until `holds()` is true of what has arrived, checked on each message (as `wait_for`). */
  async until(holds: () => boolean, timeout = 30_000): Promise<void> {
    await this.wake_until(() => (holds() ? true : undefined), timeout)
  }

  private async wake_until<T>(result: () => T | undefined, timeout: number): Promise<T> {
    const now = result()
    if (now !== undefined) return now
    const seen = () => this.messages.map((m) => m.header.msgtype).join(",")
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`timed out; got ${seen()}`)), timeout)
      const finish = (outcome: { value: T } | Error) => {
        clearTimeout(timer)
        this.waiters.splice(this.waiters.indexOf(check), 1)
        if (outcome instanceof Error) reject(outcome)
        else resolve(outcome.value)
      }
      const check = () => {
        const value = result()
        if (value !== undefined) finish({ value })
        else if (this.ws.readyState === WebSocket.CLOSED) finish(new Error(`the socket closed; got ${seen()}`))
      }
      this.waiters.push(check)
    })
  }

  async ack(): Promise<void> {
    await this.wait_for((m) => m.header.msgtype === "ACK")
  }

  send(message: Message): void {
    for (const f of message_fragments(message)) this.ws.send(f, { binary: typeof f !== "string" })
  }

  /** Sends a request and waits for the message answering it. */
  async request<T extends MsgType>(msgtype: T, content: ContentOf[T], options: Parameters<typeof create_message>[2] = {}): Promise<AnyMessage> {
    const m = create_message(msgtype, content, options)
    this.send(m)
    return await this.wait_for((r) => r.header.reqid === m.header.msgid)
  }

  close(): void {
    this.ws.close(1000, "closed")
  }
}

/** The model named `name` in pulled document JSON. */
export function model_named(doc: unknown, name: string): { id: string } {
  const visit = (v: unknown): { id: string } | null => {
    if (Array.isArray(v)) {
      for (const x of v) {
        const found = visit(x)
        if (found !== null) return found
      }
    } else if (v !== null && typeof v === "object") {
      const o = v as { type?: unknown; id?: unknown; attributes?: { name?: unknown } }
      if (o.type === "object" && o.attributes?.name === name) return { id: o.id as string }
      return visit(Object.values(v))
    }
    return null
  }
  const found = visit(doc)
  if (found === null) throw new Error(`no model named ${name}`)
  return found
}
