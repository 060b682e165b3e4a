/**
 * A Redis outage as operators see it: a server with a session store, health and metrics endpoints over a
 * real redis-server (free port), the servers in-process. Redis stopped: sessions go on locally, /readiness is 503 and /metrics
 * counts the failed store writes. Redis back on the same port: /readiness is 200 again, and the session
 * changed during the outage is written, so a second server resumes it with the change.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import "../../../src/models/main.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { generate_session_id } from "../../../src/util/token.ts"
import { resumable_app } from "../../fixtures/apps/resumable_app.ts"
import { RedisServer } from "../../support/redis.ts"
import { RawClient, model_named, start_core, type TestServer } from "./helpers.ts"

/** The value of one sample line (`name{labels} value`) of a Prometheus exposition, 0 when absent. */
function sample(exposition: string, series: string): number {
  const line = exposition.split("\n").find((l) => l.startsWith(`${series} `))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}

/** Polls `fn` until it returns a value: the endpoints follow the store's state, which changes on its own. */
async function until<T>(what: string, fn: () => Promise<T | undefined>, timeout_ms = 30_000): Promise<T> {
  const deadline = Date.now() + timeout_ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function pulled_doc(pulled: AnyMessage): Document {
  return Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
}

describe("a Redis outage seen through /readiness and /metrics", () => {
  let redis: RedisServer
  let server: TestServer
  before(async () => {
    redis = await RedisServer.start()
    server = await start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0, session_store: redis.url, health: true, metrics: true })
  })
  after(async () => {
    await server?.stop()
    await redis?.kill()
  })

  const readiness = async () => {
    const response = await server.fetch("/readiness")
    return { status: response.status, body: (await response.json()) as { ready: boolean; draining: boolean; store: string } }
  }
  const metrics = async () => await (await server.fetch("/metrics")).text()

  it("keeps sessions working locally, reports not ready and counts failures, then recovers and writes the change", async () => {
    assert.deepEqual(await readiness(), { status: 200, body: { ready: true, draining: false, store: "ok" } })
    const session_id = generate_session_id()
    const client = await server.connect("/app", { session_id })
    await client.ack()
    const trigger = model_named(((await client.request("PULL-DOC-REQ", {})).content as { doc: unknown }).doc, "trigger").id
    const change = async (value: string) => {
      const reply = await client.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: trigger }, attr: "value", new: value }] })
      assert.equal(reply.header.msgtype, "OK", JSON.stringify(reply.content))
    }
    await change("1")
    await until("the first change to be written", async () => (sample(await metrics(), "bokeh_store_write_seconds_count") >= 1 ? true : undefined))
    const before_outage = await metrics()
    const failures_before = sample(before_outage, "bokeh_store_write_failures_total")
    const writes_before = sample(before_outage, "bokeh_store_write_seconds_count")
    // What the store holds is counted in bytes too (a whole document state, well over a kilobyte here).
    assert.ok(sample(before_outage, "bokeh_store_written_bytes_total") > 1000, "store bytes are counted")
    assert.equal(failures_before, 0)

    await redis.kill()
    const down = await until("/readiness to report the outage", async () => {
      const r = await readiness()
      return r.status === 503 ? r : undefined
    })
    assert.deepEqual(down.body, { ready: false, draining: false, store: "unreachable" })
    assert.equal(sample(await metrics(), "bokeh_ready"), 0)

    // The session goes on: the change is acknowledged and its callback's change comes back to the client.
    const seen = client.messages.length
    await change("2")
    const patch = await client.wait_for(
      (m) => client.messages.indexOf(m) >= seen && m.header.msgtype === "PATCH-DOC" && JSON.stringify(m.content).includes("div_2"),
    )
    assert.match(JSON.stringify(patch.content), /change 2/)
    await until("/metrics to count the failed store write", async () =>
      sample(await metrics(), "bokeh_store_write_failures_total") > failures_before ? true : undefined,
    )

    await redis.restart()
    const up = await until("/readiness to report the store back", async () => {
      const r = await readiness()
      return r.status === 200 ? r : undefined
    })
    assert.deepEqual(up.body, { ready: true, draining: false, store: "ok" })
    assert.equal(sample(await metrics(), "bokeh_ready"), 1)

    // Written again by itself once Redis is back (no further change needed): a second server resumes it.
    // (Only successful writes are counted there, and the second change is the only one pending.)
    await until("the changed session to be written after the recovery", async () =>
      sample(await metrics(), "bokeh_store_write_seconds_count") > writes_before ? true : undefined,
    )
    const second = await start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0, session_store: redis.url, health: true, metrics: true })
    try {
      const resumer = await second.connect("/app", { session_id })
      await resumer.ack()
      const doc = pulled_doc(await resumer.request("PULL-DOC-REQ", {}))
      assert.equal(doc.get_model_by_name("div_1")?._get("text"), "change 1")
      assert.equal(doc.get_model_by_name("div_2")?._get("text"), "change 2")
      assert.deepEqual(Array.from((doc.get_model_by_name("source")!._get("data") as Record<string, ArrayLike<number>>)["y"]!), [10, 20])
      assert.equal(sample(await (await second.fetch("/metrics")).text(), "bokeh_sessions_resumed_total"), 1)
      resumer.close()
      await resumer.closed
    } finally {
      await second.stop()
    }
    client.close()
    await client.closed
  })
})
