/**
 * A small but real Bokeh protocol server for the client tests, built from src/protocol,
 * src/document and `ws`: HTTP upgrade on `<app path>/ws` (404 elsewhere), origin allowlist (403),
 * subprotocol + token checks after the upgrade (closed, or aborted on a bad signature, as Python
 * does), ACK, PULL-DOC, PUSH-DOC, PATCH-DOC (applied with the connection as setter; every resulting
 * change goes to the other connections, and changes made by app callbacks to all, before OK) and
 * SERVER-INFO. Session callbacks of the app's document run while the session lives.
 *
 * It stands in for src/server until that exists; it is deliberately not a full server.
 */

import { createServer } from "node:http"
import type { IncomingMessage, Server as HttpServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { Duplex } from "node:stream"

import WebSocket, { WebSocketServer } from "ws"

import { Document } from "../../../../src/document/document.ts"
import { DocumentPatchedEvent, SessionCallbackAdded } from "../../../../src/document/events.ts"
import type { DocumentChangedEvent } from "../../../../src/document/events.ts"
import { encode_events } from "../../../../src/document/patches.ts"
import { create_message, message_fragments } from "../../../../src/protocol/message.ts"
import type { AnyMessage, Message } from "../../../../src/protocol/message.ts"
import type { JSONObject } from "../../../../src/protocol/msgtypes.ts"
import { Receiver } from "../../../../src/protocol/receiver.ts"
import { check_token_signature, get_session_id, get_token_payload } from "../../../../src/util/token.ts"

/** What the app sees of the request that created its session. */
export interface PeerRequest {
  arguments: Record<string, Uint8Array[]>
}

export type PeerApp = (doc: Document, request: PeerRequest) => void

export interface PeerOptions {
  /** App path ("/echo") → app. */
  apps: Record<string, PeerApp>
  /** Allowed `Origin` hosts (`host:port`); requests without Origin always pass. */
  allow_websocket_origin?: string[]
  /** Signing settings for token checks (default: unsigned). */
  secret_key?: string
  sign_sessions?: boolean
  /** Seconds added to the server clock, to make tokens look expired. */
  clock_skew?: number
  /** Sees each message first; returning true means the test handled it (or delays, or drops it). */
  intercept?: (conn: PeerConnection, message: AnyMessage) => boolean | Promise<boolean>
}

export interface PeerSession {
  readonly id: string
  readonly doc: Document
  readonly request: PeerRequest
  readonly connections: Set<PeerConnection>
}

export class PeerConnection {
  readonly receiver = new Receiver()
  inbox: Promise<void> = Promise.resolve()
  constructor(
    readonly socket: WebSocket,
    readonly session: PeerSession,
  ) {}

  send(message: Message): void {
    for (const f of message_fragments(message)) this.socket.send(f, { binary: typeof f !== "string" })
  }
}

export class Peer {
  readonly sessions = new Map<string, PeerSession>()
  /** Every message received from clients, in order (for asserting on the wire). */
  readonly received: AnyMessage[] = []
  /** Close frames received from clients. */
  readonly closes: Array<{ code: number; reason: string }> = []
  /** Upgrade requests' headers, in order. */
  readonly upgrades: IncomingMessage["headers"][] = []
  private readonly http: HttpServer
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => ([...protocols][0] === "bokeh" ? "bokeh" : false) })

  private constructor(readonly options: PeerOptions) {
    this.http = createServer((_req, res) => res.writeHead(404).end())
    this.http.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head))
  }

  static async start(options: PeerOptions): Promise<Peer> {
    const peer = new Peer(options)
    await new Promise<void>((resolve) => peer.http.listen(0, "127.0.0.1", resolve))
    return peer
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port
  }

  /** The HTTP URL of an app. */
  url(app_path: string): string {
    return `http://127.0.0.1:${this.port}${app_path}`
  }

  /** Closes every client socket from the server side. */
  drop_all(code = 1001, reason = "going away"): void {
    for (const s of this.sessions.values()) for (const c of s.connections) c.socket.close(code, reason)
  }

  async stop(): Promise<void> {
    for (const s of this.sessions.values()) {
      for (const cb of s.doc.session_callbacks) cb.stop()
      for (const c of s.connections) c.socket.terminate()
    }
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrades.push(req.headers)
    const url = new URL(req.url ?? "/", "http://x")
    const app_path = url.pathname.replace(/\/ws$/, "")
    const app = url.pathname.endsWith("/ws") ? this.options.apps[app_path] : undefined
    const origin = req.headers.origin
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
    }
    if (app === undefined) return reject(404, "Not Found")
    if (origin !== undefined) {
      // Bokeh compares host:port, with ":80" assumed when the origin names no port.
      const host = new URL(origin).host.toLowerCase()
      const normalized = host.includes(":") ? host : `${host}:80`
      if (!(this.options.allow_websocket_origin ?? []).includes(normalized)) return reject(403, "Cross origin websockets not allowed")
    }
    const protocols = (req.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, app, url, protocols))
  }

  private open(ws: WebSocket, app: PeerApp, url: URL, protocols: string[]): void {
    // Checked after the upgrade, as Python does: the client sees the socket close right away.
    const token = protocols[1]
    if (protocols.length !== 2 || protocols[0] !== "bokeh" || token === undefined) return ws.close()
    const signing = { signed: this.options.sign_sessions ?? false, secret_key: this.options.secret_key ?? null }
    if (!check_token_signature(token, signing)) return ws.terminate() // Python raises: the socket is aborted
    const expiry = get_token_payload(token).session_expiry
    const now = Math.floor(Date.now() / 1000) + (this.options.clock_skew ?? 0)
    if (expiry === undefined || now >= expiry) return ws.close()

    const session_id = get_session_id(token)
    let session = this.sessions.get(session_id)
    if (session === undefined) {
      const args: Record<string, Uint8Array[]> = {}
      for (const [k, v] of url.searchParams) (args[k] ??= []).push(new TextEncoder().encode(v))
      const doc = new Document()
      session = { id: session_id, doc, request: { arguments: args }, connections: new Set() }
      const s = session
      app(doc, s.request)
      doc.on_change((event) => this.broadcast(s, event))
      for (const cb of doc.session_callbacks) cb.start()
      this.sessions.set(session_id, session)
    }
    const conn = new PeerConnection(ws, session)
    session.connections.add(conn)
    ws.on("close", (code, reason) => {
      session.connections.delete(conn)
      this.closes.push({ code, reason: reason.toString("utf8") })
    })
    conn.send(create_message("ACK", {}))
    ws.on("message", (data: Buffer, is_binary) => {
      const message = conn.receiver.consume(is_binary ? data : data.toString("utf8"))
      // One message at a time per connection, as a Bokeh server handles them.
      if (message !== null) conn.inbox = conn.inbox.then(() => this.handle(conn, message))
    })
  }

  private broadcast(session: PeerSession, event: DocumentChangedEvent): void {
    if (event instanceof SessionCallbackAdded) return event.callback.start()
    if (!(event instanceof DocumentPatchedEvent)) return
    // One event per PATCH-DOC, as Python's server sends them; never back to the connection that caused it.
    const [encoded] = encode_events(session.doc, [event], "buffers")
    const message = create_message("PATCH-DOC", { events: [encoded!.json] }, { buffers: [...encoded!.buffers] })
    for (const c of session.connections) if (c !== event.setter) c.send(message)
  }

  private async handle(conn: PeerConnection, message: AnyMessage): Promise<void> {
    this.received.push(message)
    if (this.options.intercept !== undefined && (await this.options.intercept(conn, message))) return
    const doc = conn.session.doc
    const reqid = message.header.msgid
    try {
      switch (message.header.msgtype) {
        case "PULL-DOC-REQ": {
          const { doc: json, buffers } = doc.to_json_with_buffers("buffers")
          return conn.send(create_message("PULL-DOC-REPLY", { doc: json as unknown as JSONObject }, { reqid, buffers }))
        }
        case "PUSH-DOC":
          doc.replace_with_json((message.content as JSONObject)["doc"], message.buffers)
          return conn.send(create_message("OK", {}, { reqid }))
        case "PATCH-DOC":
          await doc.apply_json_patch(message.content, message.buffers, conn)
          return conn.send(create_message("OK", {}, { reqid }))
        case "SERVER-INFO-REQ":
          return conn.send(create_message("SERVER-INFO-REPLY", { version_info: { bokeh: "3.10.0", server: "3.10.0" } }, { reqid }))
        default:
          conn.socket.close(10000 as number, `${message.header.msgtype} not expected on server`)
      }
    } catch (error) {
      conn.send(create_message("ERROR", { text: String(error), traceback: null }, { reqid }))
    }
  }
}
