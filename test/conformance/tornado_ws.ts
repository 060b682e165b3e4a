/**
 * A websocket client on a raw `net` socket, so a test can send an upgrade request byte-for-byte as
 * Tornado's client (used by Python's `bokeh.client`) does: `ws` would add its own headers
 * (Sec-WebSocket-Extensions, its own key and header spelling). Frames are masked, as RFC 6455
 * requires of clients; the server's frames are checked to be unmasked and uncompressed, since Tornado
 * negotiated no extension and would fail on RSV bits.
 */
import assert from "node:assert/strict"
import { createHash, randomBytes } from "node:crypto"
import { connect, type Socket } from "node:net"

export type WsFrame =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "binary"; readonly data: Uint8Array }
  | { readonly kind: "close"; readonly code: number | null; readonly reason: string }

export interface UpgradeResponse {
  readonly status: number
  /** Header lines as sent, e.g. "Sec-WebSocket-Protocol: bokeh". */
  readonly lines: readonly string[]
  /** Lower-cased name → values. */
  readonly headers: ReadonlyMap<string, string[]>
}

const OP = { cont: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

/** Sec-WebSocket-Accept for a key (RFC 6455 §4.2.2), what Tornado's client checks. */
export function accept_value(key: string): string {
  return createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64")
}

export class TornadoWs {
  readonly frames: WsFrame[] = []
  /** A server frame Tornado's client would have rejected (set once; the socket is dropped). */
  error: Error | null = null
  /** Resolves when the TCP connection has ended. */
  readonly ended: Promise<void>
  private buf = Buffer.alloc(0)
  private partial: { op: number; chunks: Buffer[] } | null = null
  private waiters: Array<() => void> = []
  private is_ended = false

  private constructor(private readonly socket: Socket) {
    this.ended = new Promise((resolve) =>
      socket.once("close", () => {
        this.is_ended = true
        this.wake()
        resolve()
      }),
    )
  }

  /** Sends `request_lines` (request line + headers) verbatim and reads the response head. */
  static async open(port: number, request_lines: readonly string[]): Promise<{ ws: TornadoWs; response: UpgradeResponse }> {
    const socket = connect({ host: "127.0.0.1", port })
    socket.setNoDelay(true)
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject))
    const ws = new TornadoWs(socket)
    socket.write(`${request_lines.join("\r\n")}\r\n\r\n`, "latin1")
    const response = await new Promise<UpgradeResponse>((resolve, reject) => {
      let head = Buffer.alloc(0)
      const on_data = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk])
        const end = head.indexOf("\r\n\r\n")
        if (end < 0) return
        socket.off("data", on_data)
        const [status_line, ...lines] = head.subarray(0, end).toString("latin1").split("\r\n")
        const headers = new Map<string, string[]>()
        for (const line of lines) {
          const i = line.indexOf(":")
          const name = line.slice(0, i).trim().toLowerCase()
          headers.set(name, [...(headers.get(name) ?? []), line.slice(i + 1).trim()])
        }
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(status_line ?? "")?.[1] ?? NaN), lines, headers })
        ws.consume_or_fail(head.subarray(end + 4))
        socket.on("data", (c: Buffer) => ws.consume_or_fail(c))
      }
      socket.on("data", on_data)
      socket.once("error", reject)
      socket.once("close", () => reject(new Error(`connection closed before a response head: ${head.toString("latin1")}`)))
    })
    socket.on("error", () => undefined) // a reset after close is reported by `ended`
    return { ws, response }
  }

  send_text(text: string): void {
    this.send_frame(OP.text, Buffer.from(text, "utf8"))
  }

  send_binary(data: Uint8Array): void {
    this.send_frame(OP.binary, Buffer.from(data))
  }

  /** A close frame as Python's `ClientSession.close(why)` sends it: code 1000 and the reason. */
  send_close(code: number, reason: string): void {
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason))
    payload.writeUInt16BE(code, 0)
    payload.write(reason, 2, "utf8")
    this.send_frame(OP.close, payload)
  }

  destroy(): void {
    this.socket.destroy()
  }

  /**
   * Waits until at least `n` frames have arrived (or the connection ended), and returns frame `n - 1`: woken by
   * each frame and by the close (a parse error closes the socket too). `timeout_ms` only turns a hang into an error.
   */
  async frame(n: number, timeout_ms = 30_000): Promise<WsFrame> {
    let timed_out = false
    const timer = setTimeout(() => {
      timed_out = true
      this.wake()
    }, timeout_ms).unref()
    try {
      while (this.frames.length < n) {
        if (this.error !== null) throw this.error
        if (this.is_ended) throw new Error(`connection ended after ${this.frames.length} frames, waiting for ${n}`)
        if (timed_out) throw new Error(`no frame #${n} (have ${this.frames.length})`)
        await new Promise<void>((resolve) => this.waiters.push(resolve))
      }
    } finally {
      clearTimeout(timer)
    }
    return this.frames[n - 1]!
  }

  private send_frame(op: number, payload: Buffer): void {
    const mask = randomBytes(4)
    const len = payload.length
    const head = len < 126 ? Buffer.from([0x80 | op, 0x80 | len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10)
    if (len >= 126) {
      head[0] = 0x80 | op
      head[1] = 0x80 | (len < 65536 ? 126 : 127)
      if (len < 65536) head.writeUInt16BE(len, 2)
      else head.writeBigUInt64BE(BigInt(len), 2)
    }
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))
    this.socket.write(Buffer.concat([head, mask, masked]))
  }

  private consume_or_fail(chunk: Buffer): void {
    if (this.error !== null) return
    try {
      this.consume(chunk)
    } catch (e) {
      this.error = e as Error
      this.socket.destroy()
    }
  }

  private consume(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk])
    for (;;) {
      if (this.buf.length < 2) return
      const b0 = this.buf[0]!
      const b1 = this.buf[1]!
      assert.equal(b0 & 0x70, 0, "RSV bits set on a server frame, but no extension was negotiated")
      assert.equal(b1 & 0x80, 0, "server frames must not be masked")
      let len = b1 & 0x7f
      let at = 2
      if (len === 126) {
        if (this.buf.length < 4) return
        len = this.buf.readUInt16BE(2)
        at = 4
      } else if (len === 127) {
        if (this.buf.length < 10) return
        len = Number(this.buf.readBigUInt64BE(2))
        at = 10
      }
      if (this.buf.length < at + len) return
      const payload = Buffer.from(this.buf.subarray(at, at + len))
      this.buf = this.buf.subarray(at + len)
      this.on_frame((b0 & 0x80) !== 0, b0 & 0x0f, payload)
    }
  }

  private on_frame(fin: boolean, op: number, payload: Buffer): void {
    if (op === OP.ping) return this.send_frame(OP.pong, payload)
    if (op === OP.pong) return
    if (op === OP.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : null
      this.push({ kind: "close", code, reason: payload.subarray(2).toString("utf8") })
      return
    }
    // Tornado reassembles fragmented messages; so do we.
    if (op !== OP.cont) this.partial = { op, chunks: [] }
    assert.ok(this.partial !== null, "a continuation frame without a first fragment")
    this.partial.chunks.push(payload)
    if (!fin) return
    const data = Buffer.concat(this.partial.chunks)
    this.push(this.partial.op === OP.text ? { kind: "text", text: data.toString("utf8") } : { kind: "binary", data: new Uint8Array(data) })
    this.partial = null
  }

  private push(frame: WsFrame): void {
    this.frames.push(frame)
    this.wake()
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w()
  }
}
