/**
 * A test-only websocket relay on 127.0.0.1, between our client and a real bokeh-ts `Server`. It passes
 * the upgrade on (path, query, subprotocols, Origin, Cookie and Authorization; a refusal comes back with
 * the server's status), then every message both ways, fragment for fragment, and close frames with their
 * code and reason.
 *
 * It lets a test see the wire (the messages the client sent, its close frames, its upgrade headers) and
 * make the server look slow or broken without a fake server: a hook may hold a message (return a
 * promise), drop it, or replace it, and a test may inject a message or close the client's socket. Each
 * direction keeps its order: a held message holds the ones behind it.
 */

import { createServer } from "node:http"
import type { IncomingMessage, Server as HttpServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { Duplex } from "node:stream"

import WebSocket, { WebSocketServer } from "ws"

import { message_fragments } from "../../../../src/protocol/message.ts"
import type { AnyMessage, Fragment, Message } from "../../../../src/protocol/message.ts"
import { Receiver } from "../../../../src/protocol/receiver.ts"
import { get_session_id } from "../../../../src/util/token.ts"

/** What a hook does with a message: pass it on (the default), drop it, or send other messages instead. */
export type Verdict = "forward" | "drop" | Message | readonly Message[]

/** Sees each complete message going one way, before it is passed on. */
export type RelayHook = (message: AnyMessage, link: RelayLink) => Verdict | undefined | Promise<Verdict | undefined>

export interface Close {
  readonly code: number
  readonly reason: string
}

/** Close codes that can't be put in a close frame: the relay passes them on as what they mean. */
const NO_STATUS = 1005
const ABNORMAL = 1006

/** One client ⇄ server pair of sockets. */
export class RelayLink {
  /** The session id of the client's token. */
  readonly session_id: string
  private _to_client: Promise<void> = Promise.resolve()

  constructor(
    readonly client: WebSocket,
    readonly server: WebSocket,
    token: string,
  ) {
    this.session_id = get_session_id(token)
  }

  /** Sends a message to the client as if the server had sent it (after what is already on its way). */
  send_to_client(message: Message): void {
    this.in_order_to_client(() => send(this.client, message_fragments(message)))
  }

  /** Closes the client's socket as the server would (after what is already on its way). */
  close_client(code: number, reason: string): void {
    this.in_order_to_client(() => close(this.client, code, reason))
  }

  /** @internal Runs `step` after everything queued toward the client. */
  in_order_to_client(step: () => void | Promise<void>): void {
    this._to_client = this._to_client.then(step)
  }
}

export class Relay {
  /** Every message the clients sent, in order, as they sent it (before any hook). */
  readonly received: AnyMessage[] = []
  /** Every message the server sent, in order, as it sent it (before any hook). */
  readonly sent: AnyMessage[] = []
  /** Close frames the clients sent. */
  readonly closes: Close[] = []
  /** Upgrade request headers, in order. */
  readonly upgrades: IncomingMessage["headers"][] = []
  readonly links = new Set<RelayLink>()
  /** Sees client → server messages. */
  to_server: RelayHook | null = null
  /** Sees server → client messages. */
  to_client: RelayHook | null = null
  private readonly _http: HttpServer
  private readonly _wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  private readonly _waiters = new Set<() => void>()

  private constructor(private readonly _upstream_port: number) {
    this._http = createServer((_req, res) => res.writeHead(404).end())
    this._http.on("upgrade", (req, socket, head) => this._upgrade(req, socket, head))
  }

  /** A relay to the server listening on `upstream_port` of 127.0.0.1. */
  static async start(upstream_port: number): Promise<Relay> {
    const relay = new Relay(upstream_port)
    await new Promise<void>((resolve) => relay._http.listen(0, "127.0.0.1", resolve))
    return relay
  }

  get port(): number {
    return (this._http.address() as AddressInfo).port
  }

  /** The HTTP URL of an app, through the relay. */
  url(app_path: string): string {
    return `http://127.0.0.1:${this.port}${app_path}`
  }

  /** The link of a session's (only or latest) connection. */
  link(session_id: string): RelayLink {
    const link = [...this.links].reverse().find((l) => l.session_id === session_id)
    if (link === undefined) throw new Error(`no relayed connection for session ${session_id}`)
    return link
  }

  /** Resolves once `predicate` holds; it is checked whenever a message, close or connection passes. */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = (): void => {
        if (!predicate()) return
        this._waiters.delete(wake)
        resolve()
      }
      this._waiters.add(wake)
    })
  }

  /** Forgets what was recorded and removes the hooks. */
  reset(): void {
    this.received.length = 0
    this.sent.length = 0
    this.closes.length = 0
    this.upgrades.length = 0
    this.to_server = null
    this.to_client = null
  }

  async stop(): Promise<void> {
    for (const link of this.links) {
      link.client.terminate()
      link.server.terminate()
    }
    await new Promise<void>((resolve) => this._http.close(() => resolve()))
  }

  private _wake(): void {
    for (const wake of [...this._waiters]) wake()
  }

  private _upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrades.push(req.headers)
    const protocols = (req.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)
    const headers: Record<string, string> = {}
    for (const name of ["origin", "cookie", "authorization"]) {
      const value = req.headers[name]
      if (typeof value === "string") headers[name] = value
    }
    const server = new WebSocket(`ws://127.0.0.1:${this._upstream_port}${req.url ?? "/"}`, protocols, { headers, perMessageDeflate: false })
    server.on("unexpected-response", (request, response) => {
      request.destroy()
      socket.end(`HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
      response.resume()
    })
    server.on("error", () => socket.destroy())
    server.on("open", () => {
      this._wss.handleUpgrade(req, socket, head, (client) => this._link(client, server, protocols[1] ?? ""))
    })
  }

  private _link(client: WebSocket, server: WebSocket, token: string): void {
    const link = new RelayLink(client, server, token)
    this.links.add(link)
    let to_server: Promise<void> = Promise.resolve()
    this._pipe(client, (message, fragments) => {
      this.received.push(message)
      this._wake()
      to_server = to_server.then(() => this._pass(this.to_server, message, fragments, link, server))
    })
    this._pipe(server, (message, fragments) => {
      this.sent.push(message)
      this._wake()
      link.in_order_to_client(() => this._pass(this.to_client, message, fragments, link, client))
    })
    client.on("close", (code, reason) => {
      this.closes.push({ code, reason: reason.toString("utf8") })
      this.links.delete(link)
      close(server, code, reason.toString("utf8"))
      this._wake()
    })
    server.on("close", (code, reason) => link.close_client(code, reason.toString("utf8")))
    this._wake()
  }

  /** Calls `on_message` with each complete message arriving on `socket`, and the fragments it came in. */
  private _pipe(socket: WebSocket, on_message: (message: AnyMessage, fragments: Fragment[]) => void): void {
    const receiver = new Receiver()
    let fragments: Fragment[] = []
    socket.on("message", (data: Buffer, is_binary) => {
      const fragment = is_binary ? new Uint8Array(data) : data.toString("utf8")
      fragments.push(fragment)
      const message = receiver.consume(fragment)
      if (message === null) return
      on_message(message, fragments)
      fragments = []
    })
  }

  private async _pass(hook: RelayHook | null, message: AnyMessage, fragments: Fragment[], link: RelayLink, to: WebSocket): Promise<void> {
    const verdict = (await hook?.(message, link)) ?? "forward"
    if (verdict === "forward") send(to, fragments)
    else if (verdict !== "drop") for (const m of Array.isArray(verdict) ? verdict : [verdict]) send(to, message_fragments(m as Message))
    this._wake()
  }
}

function send(socket: WebSocket, fragments: readonly Fragment[]): void {
  if (socket.readyState !== WebSocket.OPEN) return
  for (const f of fragments) socket.send(f, { binary: typeof f !== "string" })
}

function close(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return
  if (code === ABNORMAL) socket.terminate()
  else if (code === NO_STATUS) socket.close()
  else socket.close(code, reason)
}
