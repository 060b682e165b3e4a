/**
 * Websocket upgrades arriving in a burst wait for their turn (fair_share.ts) before the handshake:
 * every one is still answered, and a client that goes away while queued leaves nothing behind.
 */
import assert from "node:assert/strict"
import { connect } from "node:net"
import { after, before, describe, it } from "node:test"

import { burst_work } from "../../../src/server/fair_share.ts"
import type { Server } from "../../../src/server/server.ts"
import { generate_jwt_token, generate_session_id } from "../../../src/util/token.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { RawClient, start_server } from "./helpers.ts"

function busy(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spin: a piece of synchronous work
  }
}

/** Sends an upgrade request on a raw socket and resets the connection without waiting for the answer. */
function upgrade_then_reset(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      const token = generate_jwt_token(generate_session_id())
      socket.write(
        "GET /echo/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: bokeh, ${token}\r\n\r\n`,
        () => {
          socket.resetAndDestroy()
          resolve()
        },
      )
    })
    socket.on("error", reject)
  })
}

describe("websocket upgrades in a burst", () => {
  let server: Server
  let base: string
  before(async () => {
    server = await start_server({ "/echo": echo_app })
    base = `http://127.0.0.1:${server.port}`
  })
  after(async () => {
    await server.stop()
  })

  it("answers every one of 100 simultaneous opens with ACK and the document", async () => {
    const clients = await Promise.all(Array.from({ length: 100 }, () => RawClient.connect(base, "/echo")))
    await Promise.all(
      clients.map(async (c) => {
        await c.ack()
        const reply = await c.request("PULL-DOC-REQ", {}, {})
        assert.equal(reply.header.msgtype, "PULL-DOC-REPLY")
      }),
    )
    for (const c of clients) c.ws.close()
    await Promise.all(clients.map((c) => c.closed))
  })

  it("survives clients that reset while their upgrade is queued, and keeps serving", { timeout: 30_000 }, async () => {
    // Busy pieces in the shared queue make the upgrades below wait their turn, so the resets happen while queued.
    const held = Array.from({ length: 20 }, async () => {
      await burst_work.turn()
      busy(5)
    })
    const opens = Array.from({ length: 30 }, () => RawClient.connect(base, "/echo"))
    await Promise.all(Array.from({ length: 20 }, () => upgrade_then_reset(server.port)))
    assert.ok(burst_work.queued > 0)
    const clients = await Promise.all(opens)
    await Promise.all(held)
    await Promise.all(clients.map((c) => c.ack()))
    const late = await RawClient.connect(base, "/echo")
    await late.ack()
    for (const c of [...clients, late]) c.ws.close()
    await Promise.all([...clients, late].map((c) => c.closed))
    // Resolves once the server has let go of every websocket; one left behind by a reset keeps it waiting.
    await server.core.connections_closed()
    assert.equal(server.core.connections.size, 0)
  })
})
