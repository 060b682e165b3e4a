/**
 * The listener variants of `Server`: TLS (https + wss with a test certificate), a unix domain socket,
 * and their configuration errors; plus the periodic stats lines. On real sockets, not the in-process
 * transport: the listeners (TLS handshake, unix socket path) are what is tested.
 */
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { request as http_request } from "node:http"
import { request as https_request } from "node:https"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { fileURLToPath } from "node:url"
import WebSocket from "ws"

import { BokehError } from "../../../src/core/errors.ts"
import { Server } from "../../../src/server/server.ts"
import { log_stats } from "../../../src/server/stats_log.ts"
import { set_log_level, set_log_sink } from "../../../src/util/logging.ts"
import { generate_jwt_token, generate_session_id } from "../../../src/util/token.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { RawClient } from "./helpers.ts"

const tls = fileURLToPath(new URL("../../fixtures/tls/", import.meta.url))
const cert = readFileSync(join(tls, "cert.pem"))

/** GETs a path, over TLS (trusting only the test certificate) or a unix socket. */
function get(options: { tls?: boolean; port?: number; socketPath?: string; path: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (options.tls === true ? https_request : http_request)(
      { host: "127.0.0.1", port: options.port, socketPath: options.socketPath, path: options.path, ca: cert },
      (res) => {
        let body = ""
        res.setEncoding("utf8")
        res.on("data", (chunk: string) => {
          body += chunk
        })
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on("error", reject)
    req.end()
  })
}

/** Opens a Bokeh websocket at `url` and resolves with the first message's header (the server's ACK). */
function first_header(url: string, options: WebSocket.ClientOptions = {}): Promise<{ msgtype: string }> {
  const token = generate_jwt_token(generate_session_id())
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ["bokeh", token], options)
    ws.once("message", (data) => {
      resolve(JSON.parse(String(data)) as { msgtype: string })
      ws.close()
    })
    ws.once("error", reject)
  })
}

const is_config_error = (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_OPTION"

describe("Server listeners", () => {
  const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-listeners-"))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("TLS: pages over https, sessions over wss, https URLs", async () => {
    set_log_level("none")
    const server = new Server({ "/echo": echo_app }, { port: 0, address: "127.0.0.1", ssl_certfile: join(tls, "cert.pem"), ssl_keyfile: join(tls, "key.pem") })
    await server.start()
    try {
      assert.equal(server.url_for("/echo"), `https://127.0.0.1:${server.port}/echo`)
      const page = await get({ tls: true, port: server.port, path: "/echo" })
      assert.equal(page.status, 200)
      assert.match(page.body, /Bokeh/)
      const ack = await first_header(`wss://127.0.0.1:${server.port}/echo/ws`, { ca: cert })
      assert.equal(ack.msgtype, "ACK")
      // plain http on the TLS port gets no page
      await assert.rejects(get({ port: server.port, path: "/echo" }))
    } finally {
      await server.stop()
    }
  })

  it("a unix domain socket serves pages and websockets", async () => {
    const socket = join(dir, "bokeh.sock")
    const server = new Server({ "/echo": echo_app }, { unix_socket: socket })
    await server.start()
    try {
      assert.equal(server.unix_socket, socket)
      const page = await get({ socketPath: socket, path: "/echo" })
      assert.equal(page.status, 200)
      const ack = await first_header(`ws+unix://${socket}:/echo/ws`)
      assert.equal(ack.msgtype, "ACK")
    } finally {
      await server.stop()
    }
  })

  it("bad listener configuration is a ConfigError", async () => {
    assert.throws(() => new Server({}, { unix_socket: join(dir, "x.sock"), port: 5006 }), is_config_error)
    assert.throws(() => new Server({}, { unix_socket: join(dir, "x.sock"), ssl_certfile: "c.pem" }), is_config_error)
    assert.throws(() => new Server({}, { ssl_keyfile: "k.pem" }), is_config_error)
    await assert.rejects(
      new Server({}, { port: 0, ssl_certfile: join(dir, "missing.pem") }).start(),
      (e) => is_config_error(e) && /missing\.pem/.test((e as Error).message),
    )
    await assert.rejects(new Server({}, { port: 0, ssl_certfile: join(tls, "README.md") }).start(), is_config_error)
    const busy = new Server({}, { port: 0, address: "127.0.0.1" })
    await busy.start()
    try {
      await assert.rejects(
        new Server({}, { port: busy.port, address: "127.0.0.1" }).start(),
        (e) => is_config_error(e) && /cannot listen/.test((e as Error).message),
      )
    } finally {
      await busy.stop()
    }
  })

  it("websocket compression is negotiated only when a level is configured", async () => {
    for (const [level, expected] of [
      [undefined, ""],
      [6, "permessage-deflate"],
    ] as const) {
      const server = new Server(
        { "/echo": echo_app },
        { port: 0, address: "127.0.0.1", ...(level !== undefined ? { websocket_compression_level: level } : {}) },
      )
      await server.start()
      try {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/echo/ws`, ["bokeh", generate_jwt_token(generate_session_id())])
        await new Promise((resolve, reject) => {
          ws.once("open", resolve)
          ws.once("error", reject)
        })
        assert.equal(ws.extensions.split(";")[0], expected, `level ${String(level)}`)
        ws.close()
      } finally {
        await server.stop()
      }
    }
  })

  it("stats lines count clients and sessions per app (debug level)", async () => {
    const server = new Server({ "/echo": echo_app }, { port: 0, address: "127.0.0.1" })
    await server.start()
    const lines: string[] = []
    try {
      const client = await RawClient.connect(`http://127.0.0.1:${server.port}`, "/echo")
      await client.ack()
      set_log_sink((line) => lines.push(line))
      set_log_level("info")
      log_stats(server.core)
      assert.deepEqual(lines, [], "nothing is computed or written above debug level")
      set_log_level("debug")
      log_stats(server.core)
      assert.match(lines[0]!, new RegExp(`\\[pid ${process.pid}\\] 1 clients connected$`))
      assert.match(lines[1]!, /\[pid \d+\] {3}\/echo has 1 sessions with 0 unused$/)
      client.close()
    } finally {
      set_log_level("none")
      set_log_sink((line) => process.stderr.write(`${line}\n`))
      await server.stop()
    }
  })
})
