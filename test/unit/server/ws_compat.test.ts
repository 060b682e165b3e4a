/**
 * node/ws_compat.ts reaches into private fields of `ws` (`_socket`, `_receiver`). This checks each use
 * against the installed `ws` over a real socket, and that the installed version is the one
 * package.json pins: a `ws` upgrade must come with a look at ws_compat.ts and this test. On TCP, not
 * the in-process transport: `ws`'s own sockets are what is tested.
 */
import assert from "node:assert/strict"
import { once } from "node:events"
import { readFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Duplex } from "node:stream"
import { describe, it } from "node:test"

import { WebSocket, WebSocketServer } from "ws"

import { close_websocket, on_message_too_big, socket_of } from "../../../src/server/node/ws_compat.ts"

const WS_VERSION = "8.23.0"

function read_json(url: URL): { version?: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(url, "utf8")) as { version?: string; dependencies?: Record<string, string> }
}

/** The client's close code and reason (events.once would reject on the client's protocol error instead). */
function closed(client: WebSocket): Promise<[number, Buffer]> {
  return new Promise((resolve) => client.on("close", (code, reason) => resolve([code, reason])))
}

/** A `ws` server on 127.0.0.1 (free port) and a client connected to it: both ends once open. */
async function pair(max_payload = 1024): Promise<{ server_ws: WebSocket; client: WebSocket; client_bytes: Buffer[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: max_payload })
  const http: Server = createServer()
  const accepted = new Promise<WebSocket>((resolve) => http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, resolve)))
  http.listen(0, "127.0.0.1")
  await once(http, "listening")
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`)
  const client_bytes: Buffer[] = []
  // The raw bytes the client receives, to see frames its own validation would reject.
  client.on("upgrade", (res) => res.socket.on("data", (chunk: Buffer) => client_bytes.push(chunk)))
  client.on("error", () => {})
  const server_ws = await accepted
  server_ws.on("error", () => {})
  await once(client, "open")
  return {
    server_ws,
    client,
    client_bytes,
    close: async () => {
      client.terminate()
      server_ws.terminate()
      wss.close()
      http.close()
      await once(http, "close")
    },
  }
}

describe(`ws_compat against ws ${WS_VERSION}`, () => {
  it(`package.json pins ws ${WS_VERSION} and that version is installed`, () => {
    assert.equal(read_json(new URL("../../../package.json", import.meta.url)).dependencies?.["ws"], WS_VERSION)
    assert.equal(read_json(new URL("../../../node_modules/ws/package.json", import.meta.url)).version, WS_VERSION)
  })

  it("socket_of finds the TCP socket under a WebSocket", async () => {
    const p = await pair()
    try {
      assert.ok(socket_of(p.server_ws) instanceof Duplex)
    } finally {
      await p.close()
    }
  })

  it("close_websocket writes Bokeh's 10000 close frame that ws.close() refuses, and sendable codes through ws", async () => {
    const p = await pair()
    try {
      assert.throws(() => p.server_ws.close(10000, "x"), "ws itself refuses code 10000")
      const ended = closed(p.client)
      close_websocket(p.server_ws, 10000, "server failed")
      await ended
      const frame = Buffer.concat(p.client_bytes)
      assert.deepEqual([...frame.subarray(0, 4)], [0x88, 2 + "server failed".length, 0x27, 0x10])
      assert.equal(frame.subarray(4, 4 + "server failed".length).toString(), "server failed")
    } finally {
      await p.close()
    }
    const q = await pair()
    try {
      const ended = closed(q.client)
      close_websocket(q.server_ws, 1001, "going away")
      const [code, reason] = await ended
      assert.equal(code, 1001)
      assert.equal(reason.toString(), "going away")
    } finally {
      await q.close()
    }
  })

  it("on_message_too_big fires before ws's own 1009 close, so the close can carry a reason", async () => {
    const p = await pair(16)
    try {
      let fired = 0
      on_message_too_big(p.server_ws, () => {
        fired++
        p.server_ws.close(1009, "too big: 16 bytes at most")
      })
      const ended = closed(p.client)
      p.client.send("x".repeat(100))
      const [code, reason] = await ended
      assert.equal(fired, 1)
      assert.equal(code, 1009)
      assert.equal(reason.toString(), "too big: 16 bytes at most")
    } finally {
      await p.close()
    }
  })
})
