/**
 * Test helpers: a Bokeh server for a test, and a raw protocol client that reassembles messages.
 *
 * Most server tests run the production server core in-process, with no sockets: `start_core(apps, options)`
 * starts a `BokehServerCore` (as `Server` does, minus the listener); its `fetch(path, init)` goes through the
 * node adapter's request handling (`inject`, see inject.ts) and `RawClient.connect(core, app)` opens the
 * in-process websocket of src/server/in_process.ts, which takes the real upgrade path (origin, auth, token,
 * session creation, inbox, protocol handler, lock). `start_tcp` gives the same `TestServer` over a real
 * `Server` on 127.0.0.1, so a test moves between the two by changing that one call. Tests about the socket
 * itself (node's header limit, `ws` frames and close codes, listeners, TCP backpressure) keep `start_server`
 * or `start_tcp` and say why in their header comment.
 */
import WebSocket from "ws"

import { create_message, message_fragments, type AnyMessage, type Message } from "../../../src/protocol/message.ts"
import type { ContentOf, MsgType } from "../../../src/protocol/msgtypes.ts"
import { Receiver } from "../../../src/protocol/receiver.ts"
import { Application } from "../../../src/application/application.ts"
import { BaseServer } from "../../../src/server/base_server.ts"
import { BokehServerCore } from "../../../src/server/core.ts"
import { drain } from "../../../src/server/drain.ts"
import { connect_in_process, type InProcessWebSocket } from "../../../src/server/in_process.ts"
import { Server, type ApplicationLike } from "../../../src/server/server.ts"
import type { ServerOptions } from "../../../src/server/options.ts"
import type { ServerSession } from "../../../src/server/session.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { generate_jwt_token, generate_session_id, type TokenOptions } from "../../../src/util/token.ts"
import { IN_PROCESS_HOST, fetch_in_process } from "./inject.ts"

export { IN_PROCESS_HOST, inject, type InjectRequest, type InjectedResponse } from "./inject.ts"

set_log_level((process.env["BOKEH_TEST_LOG"] as "info" | undefined) ?? "none")

export async function start_server(apps: Record<string, ApplicationLike>, options: ServerOptions = {}): Promise<Server> {
  const server = new Server(apps, { port: 0, address: "127.0.0.1", ...options })
  await server.start()
  return server
}

/** A started server for one test, in-process (`start_core`) or on TCP (`start_tcp`): the same methods either way. */
export interface TestServer {
  readonly core: BokehServerCore
  /** What `RawClient.connect` takes: the core itself in-process, the http base URL on TCP. */
  readonly via: BokehServerCore | string
  /** The origin a browser page of this server has (`http://localhost:5006` in-process). */
  readonly base: string
  /** `fetch` of a path (`/app?N=1`) on this server; in-process it never follows redirects nor decompresses. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  connect(app: string, options?: ConnectOptions): Promise<RawClient>
  /** The live sessions (of one app path), as `Server.get_sessions`. */
  get_sessions(app_path?: string): ServerSession[]
  get_session(app_path: string, session_id: string): ServerSession
  /** As `Server.drain`: drains the core (bounded by `timeout_milliseconds`), then stops; true if the drain finished in time. */
  drain(timeout_milliseconds: number): Promise<boolean>
  stop(): Promise<void>
  /** `await using server = …` stops it. */
  [Symbol.asyncDispose](): Promise<void>
}

/** The parts of a `TestServer` built from its core and a way to stop. */
function test_server(core: BokehServerCore, via: BokehServerCore | string, base: string, stop: () => Promise<void>) {
  // BaseServer without an HTTP server is just the core's session lookups.
  const lookups = new BaseServer(core)
  return {
    core,
    via,
    base,
    connect: (app: string, options?: ConnectOptions) => RawClient.connect(via, app, options),
    get_sessions: (app_path?: string) => lookups.get_sessions(app_path),
    get_session: (app_path: string, session_id: string) => lookups.get_session(app_path, session_id),
    drain: async (timeout_milliseconds: number) => {
      const finished = await drain(core, timeout_milliseconds)
      await stop()
      return finished
    },
    stop,
    [Symbol.asyncDispose]: stop,
  }
}

/** The server core as `Server` builds it, started, with no listener: HTTP and websockets in-process. */
export async function start_core(apps: Record<string, ApplicationLike>, options: ServerOptions = {}): Promise<TestServer> {
  const applications = Object.fromEntries(Object.entries(apps).map(([k, v]) => [k, v instanceof Application ? v : new Application(v)]))
  // Server allows localhost:<port> by default; in-process requests come from IN_PROCESS_HOST.
  const core = new BokehServerCore(applications, options, options.allow_websocket_origin ?? [IN_PROCESS_HOST])
  await core.start()
  return { ...test_server(core, core, `http://${IN_PROCESS_HOST}`, () => core.stop()), fetch: (path, init) => fetch_in_process(core, path, init) }
}

/** A real `Server` on 127.0.0.1, behind the same interface as `start_core`. */
export async function start_tcp(apps: Record<string, ApplicationLike>, options: ServerOptions = {}): Promise<TestServer & { server: Server }> {
  const server = await start_server(apps, options)
  const base = `http://127.0.0.1:${server.port}`
  return { ...test_server(server.core, base, base, () => server.stop()), server, fetch: (path, init) => fetch(`${base}${path}`, init) }
}

export interface ConnectOptions {
  token?: string
  session_id?: string
  query?: string
  token_options?: TokenOptions
  headers?: Record<string, string>
}

export interface Closed {
  code: number
  reason: string
}

/**
 * A raw protocol client: collects every message, lets tests await the next one or a reply. Over TCP with
 * `ws` when given a `ws://` URL, in-process when given the server core (then `ws_error` stays null: nothing
 * there fails the way a network does).
 */
export class RawClient {
  readonly messages: AnyMessage[] = []
  /** The client socket: `ws`'s over TCP, an `InProcessWebSocket` in-process. */
  readonly socket: WebSocket | InProcessWebSocket
  readonly opened: Promise<void>
  readonly closed: Promise<Closed>
  private readonly receiver = new Receiver()
  private waiters: Array<() => void> = []
  error: unknown = null
  /** The last error the ws client reported (e.g. an out-of-range close code). */
  ws_error: unknown = null
  private is_closed = false

  /** `url`: a `ws://` URL (TCP), or the path and query of the websocket on `core` (in-process). */
  constructor(url: string, token: string | null, options: { headers?: Record<string, string>; protocols?: string[]; core?: BokehServerCore } = {}) {
    const protocols = options.protocols ?? (token !== null ? ["bokeh", token] : [])
    const headers = options.headers ?? {}
    this.socket =
      options.core !== undefined
        ? connect_in_process(options.core, { url: new URL(url, `ws://${IN_PROCESS_HOST}`).href, protocols, headers })
        : new WebSocket(url, protocols, { headers })
    this.opened = new Promise((resolve, reject) => {
      this.socket.once("open", () => resolve())
      this.socket.once("unexpected-response", (_req: unknown, res: { statusCode: number }) => reject(new Error(`HTTP ${res.statusCode}`)))
      this.socket.once("error", reject)
    })
    this.closed = new Promise((resolve) => this.socket.once("close", (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })))
    this.socket.on("close", () => {
      this.is_closed = true
      for (const w of [...this.waiters]) w()
    })
    this.socket.on("error", (e: unknown) => {
      this.ws_error = e
    })
    this.socket.on("message", (data: unknown, is_binary: boolean) => {
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

  /** Opens `app`'s websocket: `via` is the http base URL (TCP) or the server core (in-process). */
  /** The `ws` socket of a TCP client (its pause/resume, bufferedAmount, …); an in-process client has none. */
  get ws(): WebSocket {
    if (!(this.socket instanceof WebSocket)) throw new Error("an in-process RawClient has no ws socket (see .socket)")
    return this.socket
  }

  static async connect(via: string | BokehServerCore, app: string, options: ConnectOptions = {}): Promise<RawClient> {
    const session_id = options.session_id ?? generate_session_id()
    const token = options.token ?? generate_jwt_token(session_id, options.token_options)
    const path = `${app}/ws${options.query !== undefined ? `?${options.query}` : ""}`
    const headers = options.headers ?? {}
    const client =
      typeof via === "string" ? new RawClient(`${via.replace(/^http/, "ws")}${path}`, token, { headers }) : new RawClient(path, token, { headers, core: via })
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
        else if (this.is_closed) finish(new Error(`the socket closed; got ${seen()}`))
      }
      this.waiters.push(check)
    })
  }

  async ack(): Promise<void> {
    await this.wait_for((m) => m.header.msgtype === "ACK")
  }

  send(message: Message): void {
    for (const f of message_fragments(message)) this.socket.send(f, { binary: typeof f !== "string" })
  }

  /** Sends a request and waits for the message answering it. */
  async request<T extends MsgType>(msgtype: T, content: ContentOf[T], options: Parameters<typeof create_message>[2] = {}): Promise<AnyMessage> {
    const m = create_message(msgtype, content, options)
    this.send(m)
    return await this.wait_for((r) => r.header.reqid === m.header.msgid)
  }

  close(): void {
    this.socket.close(1000, "closed")
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
