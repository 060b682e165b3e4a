/**
 * Binds the transport-neutral server core to `node:http` and `ws`: a request listener for plain
 * HTTP and an `upgrade` listener using `ws` in `noServer` mode, so the same core runs standalone
 * or inside an existing node:http / Express server. It only translates: the core decides every
 * response and whether an upgrade proceeds (`handle`, `upgrade`); what it needs from `ws` beyond
 * the public API is in ws_compat.ts.
 */
import { maxHeaderSize as http_max_header_size, type IncomingMessage, type Server as HTTPServer, type ServerResponse } from "node:http"
import type { Duplex } from "node:stream"
import { WebSocketServer, type WebSocket } from "ws"

import { log } from "../../util/logging.ts"
import { BokehServerCore } from "../core.ts"
import type { HTTPResponse } from "../http.ts"
import { close_reason } from "../transport.ts"
import { close_websocket, deflate_options, on_message_too_big, socket_of } from "./ws_compat.ts"
import { http_request_from_node } from "./request.ts"
import type { ApplicationContext } from "../contexts.ts"
import type { HTTPRequest } from "../../util/request.ts"
import type { RequestWithBody } from "../request_handler.ts"
import { CloseCodes } from "../../protocol/close_codes.ts"
import { burst_work } from "../fair_share.ts"

/** RFC 7230 token characters: what `ws` accepts as a subprotocol. */
const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

export interface AdapterOptions {
  readonly use_xheaders?: boolean
}

export class NodeAdapter {
  private readonly _wss: WebSocketServer
  private readonly _sockets = new Set<WebSocket>()
  /** Upgrade requests waiting for their turn (see handle_upgrade). */
  private readonly _pending_upgrades = new Set<Duplex>()

  constructor(
    readonly core: BokehServerCore,
    private readonly _options: AdapterOptions = {},
  ) {
    this._wss = new WebSocketServer({
      noServer: true,
      maxPayload: core.websocket_max_message_size,
      perMessageDeflate: deflate_options(core.websocket_compression),
      // The header holds only the protocol _handshake selected (see there).
      handleProtocols: (protocols) => [...protocols][0] ?? false,
    })
  }

  /**
   * A `node:http` request listener. Requests no Bokeh route matches get 404, or are passed to
   * `next` when given (Express-style mounting).
   */
  readonly handle_request = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    req.socket.setNoDelay(true)
    const request = http_request_from_node(req, this._options.use_xheaders)
    const pending =
      // Only login/logout form posts have their body read: anything else (Express routes after us) keeps its stream.
      this.core.wants_body(request)
        ? read_body(req).then((body) => (body === null ? TOO_LARGE : this.core.handle(with_body(request, body))))
        : this.core.handle(request)
    pending.then(
      (response) => {
        if (response === null) {
          if (next !== undefined) next()
          else write(res, { status: 404, headers: { "Content-Type": "text/plain" }, body: "404: Not Found" }, req.method === "HEAD")
          return
        }
        write(res, response, req.method === "HEAD")
      },
      (error: unknown) => {
        log.error(`error handling ${req.method} ${req.url}`, error)
        if (!res.headersSent) write(res, { status: 500, headers: { "Content-Type": "text/plain" }, body: "500: Internal Server Error" }, false)
        else res.destroy()
      },
    )
  }

  /**
   * A `node:http` `upgrade` listener. Returns false (touching nothing) for paths that are not
   * Bokeh websockets, so other upgrade handlers can take them.
   */
  readonly handle_upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const uri = req.url ?? "/"
    const q = uri.indexOf("?")
    if (!this.core.is_websocket_path(q < 0 ? uri : uri.slice(0, q))) return false
    // Hundreds of upgrades can land in one poll phase; each handshake (request conversion, token check,
    // 101 response, session lookup) takes its turn so they are spread over several loop iterations
    // instead of stalling the loop, after the work of sessions already opening. Until then the socket is paused (node:http set readableFlowing to
    // null), so no frame is lost; node:http also removed its error listener, hence ours meanwhile.
    socket.on("error", ignore_error)
    this._pending_upgrades.add(socket)
    void burst_work.turn("new").then(() => {
      socket.off("error", ignore_error)
      if (!this._pending_upgrades.delete(socket)) return
      if (socket.destroyed) return
      try {
        this._upgrade(req, socket, head)
      } catch (error) {
        // Deferred, a throw would be an unhandled rejection (which ends the process) instead of an 'upgrade' listener error.
        log.error(`error handling the websocket upgrade of ${req.url}`, error)
        socket.destroy()
      }
    })
    return true
  }

  private _upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const request = http_request_from_node(req, this._options.use_xheaders)
    // The auth hook may be async: meanwhile a socket error must not be unhandled.
    socket.on("error", ignore_error)
    void this.core
      .upgrade(request)
      .then((decision) => {
        socket.off("error", ignore_error)
        if (socket.destroyed) return
        if (!decision.accept) refuse(socket, decision.response)
        else this._handshake(req, socket, head, request, decision.app)
      })
      .catch((error: unknown) => {
        log.error(`error handling the websocket upgrade of ${req.url}`, error)
        socket.destroy()
      })
  }

  private _handshake(req: IncomingMessage, socket: Duplex, head: Buffer, request: HTTPRequest, app: ApplicationContext): void {
    ;(socket as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true)
    // Read as Tornado does (split on commas, strip): any token the HTTP parser let through reaches the
    // token check, which refuses it after the 101 as Python does. `ws` would answer 400 itself for
    // characters that are not allowed in a subprotocol token (quotes, spaces, non-ASCII), so it sees
    // only the protocol we select.
    const offered = (req.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
    const selected_protocol = BokehServerCore.select_subprotocol(offered)
    if (selected_protocol !== false && SUBPROTOCOL_TOKEN.test(selected_protocol)) req.headers["sec-websocket-protocol"] = selected_protocol
    else delete req.headers["sec-websocket-protocol"]
    this._wss.handleUpgrade(req, socket, head, (ws) => {
      this._sockets.add(ws)
      const selected = ws.protocol === "" ? false : ws.protocol
      let corked = false
      const drain_listeners: Array<() => void> = []
      const after_write = (error?: Error | null) => {
        if (error == null) for (const l of drain_listeners) l()
      }
      const transport = {
        send: (fragment: string | Uint8Array) => {
          // A message is several fragments (frames): cork the socket for the rest of this tick so they
          // leave in one write instead of one syscall each.
          if (!corked && socket_of(ws) !== undefined) {
            corked = true
            const socket = socket_of(ws)!
            socket.cork()
            process.nextTick(() => {
              corked = false
              socket.uncork()
            })
          }
          // The callback runs once the frame reached the OS: a budget smaller than the socket's
          // high-water mark gets no 'drain' event, so each write also counts as one.
          ws.send(fragment, { binary: typeof fragment !== "string" }, after_write)
        },
        close: (code: number | null, reason: string) => (code === null ? ws.close() : close_websocket(ws, code, reason)),
        abort: () => ws.terminate(),
        ping: (data: string) => ws.ping(data),
        buffered_amount: () => ws.bufferedAmount,
        on_drain: (listener: () => void) => {
          drain_listeners.push(listener)
          socket_of(ws)?.on("drain", listener)
        },
        pause: () => ws.pause(),
        resume: () => ws.resume(),
      }
      // ws closes oversize messages with 1009 but no reason; say why first.
      on_message_too_big(ws, () =>
        ws.close(
          CloseCodes.MESSAGE_TOO_BIG,
          close_reason(`message exceeds the maximum size of ${this.core.websocket_max_message_size} bytes (--websocket-max-message-size)`),
        ),
      )
      const handle = this.core.open_websocket(app, request, offered, selected, transport)
      ws.on("message", (data, is_binary) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
        handle.receive(is_binary ? bytes : bytes.toString("utf8"))
      })
      ws.on("pong", () => handle.pong())
      ws.on("error", (error) => log.debug(`websocket error: ${error.message}`))
      ws.on("close", (code, reason) => {
        this._sockets.delete(ws)
        handle.closed(code, reason.toString("utf8"))
      })
    })
  }

  /** Adds the Bokeh request and upgrade listeners to an existing server. */
  attach(server: HTTPServer): void {
    // Page tokens must fit in the upgrade this listener will accept (node:http's own default when unset).
    this.core.header_limit = (server as HTTPServer & { maxHeaderSize?: number }).maxHeaderSize ?? http_max_header_size
    server.on("request", this.handle_request)
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // No Bokeh websocket at this path and nobody else to take it: answer 404, as Tornado does.
      if (!this.handle_upgrade(req, socket, head) && server.listenerCount("upgrade") === 1) {
        socket.end("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 14\r\nConnection: close\r\n\r\n404: Not Found")
      }
    })
    server.on("connection", (socket) => socket.setNoDelay(true))
  }

  /** Terminates the websockets still open, and drops upgrades still waiting for their turn. */
  close(): void {
    for (const socket of this._pending_upgrades) socket.destroy()
    this._pending_upgrades.clear()
    for (const ws of this._sockets) ws.terminate()
    this._sockets.clear()
    this._wss.close()
  }
}

/** A socket error while an upgrade waits for its turn: the socket is destroyed, and skipped when its turn comes. */
function ignore_error(): void {}

function write(res: ServerResponse, response: HTTPResponse, head_only: boolean): void {
  const body = typeof response.body === "string" ? Buffer.from(response.body, "utf8") : response.body
  res.writeHead(response.status, { ...response.headers, "Content-Length": String(body.byteLength) })
  res.end(head_only ? undefined : body)
}

const STATUS_TEXT: Record<number, string> = { 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable" }

/** Answers an upgrade request with a plain HTTP error instead of a handshake. */
function refuse(socket: Duplex, response: HTTPResponse): void {
  const body = String(response.body)
  socket.end(
    `HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? "Error"}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

function with_body(request: HTTPRequest, body: Buffer): RequestWithBody {
  return { ...request, body }
}

/** Login forms are small; a larger body is refused rather than buffered. */
const MAX_FORM_BODY = 1024 * 1024
const TOO_LARGE: HTTPResponse = { status: 413, headers: { "Content-Type": "text/plain" }, body: "413: Payload Too Large" }

/** The whole request body, or null past MAX_FORM_BODY. */
function read_body(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_FORM_BODY) {
        req.removeAllListeners("data")
        req.resume()
        resolve(null)
      } else chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })
}
