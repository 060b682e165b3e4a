/**
 * Portable sessions over a real redis-server (started here on a free port), servers in-process (bokeh-ts serve processes where a process is killed): deterministic model ids,
 * a session resumed by another `bokeh-ts serve` process after the first was killed, and a store outage.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { Redis } from "ioredis"

import { Application } from "../../../src/application/application.ts"
import { FunctionHandler } from "../../../src/application/handlers/function.ts"
import { ServerLifecycleHandler } from "../../../src/application/handlers/server_lifecycle.ts"

import type { SessionContext } from "../../../src/application/contexts.ts"
import { Document } from "../../../src/document/document.ts"
import "../../../src/models/main.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { generate_jwt_token, generate_session_id } from "../../../src/util/token.ts"
import { resumable_app } from "../../fixtures/apps/resumable_app.ts"
import { RedisServer } from "../../support/redis.ts"
import { ServeProcess } from "../../support/serve_process.ts"
import { RawClient, model_named, start_core, type TestServer } from "./helpers.ts"

/** The pulled document as comparable JSON (arrays as lists, so buffer numbering doesn't matter). */
function comparable(pulled: AnyMessage): unknown {
  const doc = Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
  return doc.to_json_with_buffers("lists").doc
}

function model_ids(pulled: AnyMessage): Set<string> {
  const doc = Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
  return new Set([...doc.all_models].map((m) => m.id))
}

async function pull(client: RawClient): Promise<AnyMessage> {
  return await client.request("PULL-DOC-REQ", {})
}

async function change_trigger(client: RawClient, id: string, value: string): Promise<void> {
  const reply = await client.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id }, attr: "value", new: value }] })
  assert.equal(reply.header.msgtype, "OK", JSON.stringify(reply.content))
}

/** Polls until `fn` returns a value (the store is written asynchronously by design). */
async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeout_ms = 30_000): Promise<T> {
  const deadline = Date.now() + timeout_ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function token_for(session_id: string): string {
  return generate_jwt_token(session_id)
}

describe("deterministic model ids", () => {
  let one: TestServer
  let two: TestServer
  before(async () => {
    one = await start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0 })
    two = await start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0 })
  })
  after(async () => {
    await one?.stop()
    await two?.stop()
  })

  it("two servers build identical documents for one session id, and other sessions get other ids", async () => {
    const session_id = generate_session_id()
    const a = await one.connect("/app", { session_id })
    const b = await two.connect("/app", { session_id })
    const c = await two.connect("/app")
    await Promise.all([a.ack(), b.ack(), c.ack()])
    const [pa, pb, pc] = await Promise.all([pull(a), pull(b), pull(c)])
    assert.deepEqual(comparable(pa), comparable(pb))
    // Models callbacks add get the same ids too.
    const trigger = model_named((pa.content as { doc: unknown }).doc, "trigger").id
    await change_trigger(a, trigger, "x")
    await change_trigger(b, trigger, "x")
    assert.deepEqual(comparable(await pull(a)), comparable(await pull(b)))
    const ids_a = model_ids(pa)
    const ids_c = model_ids(pc)
    assert.ok(ids_a.size > 3)
    for (const id of ids_a) assert.ok(!ids_c.has(id), `session ids differ, model ids must too: ${id}`)
    for (const id of ids_a) assert.match(id, /^s[0-9a-z]+$/)
    for (const client of [a, b, c]) client.close()
  })
})

describe("a session resumed by another process from Redis", () => {
  let redis: RedisServer
  before(async () => {
    redis = await RedisServer.start()
  })
  after(async () => {
    await redis?.kill()
  })

  it("process B resumes what process A built, streamed and added by a callback after A was killed", async () => {
    const args = ["test/fixtures/apps/resumable_script.ts", "--session-store", redis.url, "--keep-alive", "0"]
    const [a, b] = await Promise.all([ServeProcess.start(args), ServeProcess.start(args)])
    const probe = new Redis(redis.url)
    try {
      const session_id = generate_session_id()
      const token = token_for(session_id)
      const client_a = await RawClient.connect(a.url.replace(/\/resumable_script$/, ""), "/resumable_script", { token })
      await client_a.ack()
      const first = await pull(client_a)
      const trigger = model_named((first.content as { doc: unknown }).doc, "trigger").id
      await change_trigger(client_a, trigger, "1")
      await change_trigger(client_a, trigger, "2")
      const before_kill = await pull(client_a)
      // The state reaches Redis by itself (coalesced writes, no drain): wait for it, then kill A.
      await until("A to write the second change", async () =>
        (await probe.hget(`bokeh-ts:session:${session_id}`, "meta"))?.includes("div_2") === true ? true : undefined,
      )
      await a.kill("SIGKILL")

      const client_b = await RawClient.connect(b.url.replace(/\/resumable_script$/, ""), "/resumable_script", { token })
      await client_b.ack()
      const resumed = await pull(client_b)
      assert.deepEqual(comparable(resumed), comparable(before_kill))
      // The callbacks work on B, and the app variable came back through on_session_restored.
      await change_trigger(client_b, trigger, "3")
      const pulled = await pull(client_b)
      const after_change = Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
      assert.equal(after_change.get_model_by_name("div_3")!._get("text"), "change 3")
      const data = after_change.get_model_by_name("source")!._get("data") as Record<string, ArrayLike<number>>
      assert.deepEqual(Array.from(data["y"]!), [10, 20, 30])
      const ids = [...after_change.all_models].map((m) => m.id)
      assert.equal(new Set(ids).size, ids.length, "no id was minted twice")
      assert.match(b.log, /resumed from the session store/)
      client_a.close()
      client_b.close()
    } finally {
      probe.disconnect()
      await a.kill()
      await b.kill()
    }
  })
})

describe("a store outage", () => {
  let redis: RedisServer
  let server: TestServer
  before(async () => {
    redis = await RedisServer.start()
    server = await start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0, session_store: redis.url })
  })
  after(async () => {
    await server?.stop()
    await redis?.kill()
  })

  it("sessions keep working while Redis is down, failures are counted, and the state is written when it is back", async () => {
    const store = server.core.session_store!
    const counters = server.core.session_persistence!.counters
    assert.equal(store.healthy(), true)
    const session_id = generate_session_id()
    const client = await server.connect("/app", { session_id })
    await client.ack()
    const trigger = model_named(((await pull(client)).content as { doc: unknown }).doc, "trigger").id
    await change_trigger(client, trigger, "1")
    await server.core.flush_sessions()
    assert.equal(counters.writes, 1)

    await redis.kill()
    await until("the store to notice the outage", () => (store.healthy() ? undefined : true))
    // The session goes on: the change is applied and its callback's patch comes back.
    await change_trigger(client, trigger, "2")
    const pulled = await pull(client)
    const doc = Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
    assert.equal(doc.get_model_by_name("div_2")?._get("text"), "change 2")
    await until("a failed write to be counted", () => (counters.write_failures > 0 ? true : undefined))

    await redis.restart()
    await until("the store to recover", () => (store.healthy() ? true : undefined))
    const probe = new Redis(redis.url)
    try {
      // Written again by itself once Redis is back: no further change was needed.
      await until("the state to be written after the recovery", async () =>
        (await probe.hget(`bokeh-ts:session:${session_id}`, "meta"))?.includes("div_2") === true ? true : undefined,
      )
    } finally {
      probe.disconnect()
    }
    client.close()
  })
})

describe("two servers sharing Redis", () => {
  let redis: RedisServer
  let one: TestServer
  let two: TestServer
  before(async () => {
    redis = await RedisServer.start()
    ;[one, two] = await Promise.all([
      start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0, session_store: redis.url }),
      start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0, session_store: redis.url }),
    ])
  })
  after(async () => {
    await one?.stop()
    await two?.stop()
    await redis?.kill()
  })

  async function visit(server: TestServer, session_id: string, value: string): Promise<Document> {
    const client = await server.connect("/app", { session_id })
    await client.ack()
    const trigger = model_named(((await pull(client)).content as { doc: unknown }).doc, "trigger").id
    await change_trigger(client, trigger, value)
    await server.core.flush_sessions()
    const pulled = await pull(client)
    client.close()
    await client.closed
    return Document.from_json((pulled.content as { doc: unknown }).doc, pulled.buffers)
  }

  it("a session that moved away and back resumes the newer state instead of the stale local copy", async () => {
    const session_id = generate_session_id()
    await visit(one, session_id, "1")
    const on_two = await visit(two, session_id, "2")
    assert.equal(on_two.get_model_by_name("div_2")?._get("text"), "change 2")
    assert.equal(two.core.session_persistence!.counters.resumed, 1)
    // `one` still holds its copy (unused sessions live on for a while), but `two` wrote since.
    assert.ok(one.core.application_contexts[0]!.get_session(session_id) !== undefined)
    const back = await visit(one, session_id, "3")
    assert.equal(back.get_model_by_name("div_2")?._get("text"), "change 2")
    assert.equal(back.get_model_by_name("div_3")?._get("text"), "change 3")
  })

  it("a lifecycle module's on_session_restored gets the saved app state", async () => {
    const hooks = fileURLToPath(new URL("../../fixtures/apps/restored_hooks.ts", import.meta.url))
    const make = () => new Application(new FunctionHandler(resumable_app), new ServerLifecycleHandler({ filename: hooks }))
    const [a, b] = await Promise.all([
      start_core({ "/app": make() }, { keep_alive_milliseconds: 0, session_store: redis.url }),
      start_core({ "/app": make() }, { keep_alive_milliseconds: 0, session_store: redis.url }),
    ])
    try {
      const session_id = generate_session_id()
      await visit(a, session_id, "1")
      await visit(b, session_id, "2")
      const restored = (globalThis as { __restored?: Array<{ id: string; app_state: Record<string, unknown> }> }).__restored ?? []
      assert.deepEqual(
        restored.filter((r) => r.id === session_id).map((r) => r.app_state),
        [{ changes: 1 }],
      )
    } finally {
      await a.stop()
      await b.stop()
    }
  })

  it("app state that is not JSON is refused with a log line; the session goes on", async () => {
    const app = (doc: Document) => {
      resumable_app(doc)
      const trigger = doc.get_model_by_name("trigger")!
      trigger.on_change("value", () => {
        ;(doc.session_context as unknown as SessionContext).app_state["bad"] = 1n
      })
    }
    const server = await start_core({ "/app": app }, { keep_alive_milliseconds: 0, session_store: redis.url })
    try {
      const after_change = await visit(server, generate_session_id(), "1")
      assert.equal(after_change.get_model_by_name("div_1")?._get("text"), "change 1")
      assert.equal(server.core.session_persistence!.counters.write_failures, 1)
      assert.equal(server.core.session_persistence!.counters.writes, 0)
    } finally {
      await server.stop()
    }
  })

  it("a state over the size limit is not written, and is counted", async () => {
    const small = await start_core({ "/app": resumable_app }, { keep_alive_milliseconds: 0, session_store: redis.url, session_store_max_bytes: 100 })
    const probe = new Redis(redis.url)
    try {
      const session_id = generate_session_id()
      await visit(small, session_id, "1")
      assert.ok(small.core.session_persistence!.counters.oversize >= 1)
      assert.equal(small.core.session_persistence!.counters.writes, 0)
      assert.equal(await probe.exists(`bokeh-ts:session:${session_id}`), 0)
    } finally {
      probe.disconnect()
      await small.stop()
    }
  })
})
