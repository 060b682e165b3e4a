/**
 * scale with a session store: three backends behind nginx sharing a redis-server the bench starts on a free
 * port (`--session-store`). Measures the time from killing the backend that holds a session (SIGKILL after
 * the change was written; SIGTERM, whose drain writes it) until the same client, reconnecting through nginx
 * with the same token as BokehJS does, has that session back on another backend *with its state*: the
 * amplitude slider set before the kill, and the label its callback derived. Then holds many changed sessions
 * open at once for sessions and memory per backend, and Redis's memory per stored session.
 */
import { existsSync } from "node:fs"

import { Redis } from "ioredis"

import { derived_text } from "../apps/sliders.ts"
import { backend, exited, holder, metric, until_no_connections } from "../lib/backends.ts"
import { BokehClient, find_model, pull_sliders_doc } from "../lib/bokeh_client.ts"
import type { ChildServer } from "../lib/child_server.ts"
import { start_nginx } from "../lib/nginx.ts"
import { now_ms, summarize } from "../lib/stats.ts"
import { BenchFailure, type Row } from "../lib/types.ts"
import { generate_jwt_token, generate_session_id } from "../../src/util/token.ts"
import { REDIS_SERVER, RedisServer } from "../../test/support/redis.ts"

const N_BACKENDS = 3
const FAILOVER_TRIALS = 3
/** Sessions held open at once for the per-backend memory figures (each changed once, so each is stored). */
const HELD_SESSIONS = 600
const KEY_PREFIX = "bokeh-ts:session:"

/** Polls `fn` until it holds (the store is written asynchronously by design), or fails after `timeout_ms`. */
async function until(what: string, fn: () => Promise<boolean>, timeout_ms = 30_000): Promise<void> {
  const deadline = Date.now() + timeout_ms
  while (!(await fn())) {
    if (Date.now() > deadline) throw new BenchFailure(`scale (store): timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const writes = (b: ChildServer) => metric(b, "bokeh_store_write_seconds_count")

/** Sets the amplitude slider and waits for the OK (after the callback's PATCH-DOC). */
async function set_amplitude(client: BokehClient, slider_id: string, value: number): Promise<void> {
  await client.reply(client.send("PATCH-DOC", { events: [{ kind: "ModelChanged", model: { id: slider_id }, attr: "value", new: value }] }), "OK")
}

/** Milliseconds from `kill(backend holding the session)` until the client has that session back, state checked. */
async function resumed_failover(url: string, backends: ChildServer[], store: string, signal: "SIGKILL" | "SIGTERM", value: number): Promise<number> {
  const token = generate_jwt_token(generate_session_id())
  const client = await BokehClient.open(url, "scale resume", token)
  const { slider_id } = await pull_sliders_doc(client)
  const i = await holder(backends, "scale (store)")
  const victim = backends[i]!
  const written = await writes(victim)
  await set_amplitude(client, slider_id, value)
  // SIGKILL loses what was not yet written (coalesced writes, at most every 100 ms): wait for the write.
  // SIGTERM's drain writes it itself, so that case kills right after the acknowledgement.
  if (signal === "SIGKILL") await until("the change to be written", async () => (await writes(victim)) > written)
  const t0 = now_ms()
  victim.process.kill(signal)
  await client.poll(30_000, "the close").then(
    (m) => {
      throw new BenchFailure(`scale (store): expected the connection to close, got ${m?.header.msgtype ?? "nothing within 30 s"}`)
    },
    () => {},
  )
  const again = await BokehClient.open(url, "scale resume", token)
  const { reply } = await again.reply(again.send("PULL-DOC-REQ", {}), "PULL-DOC-REPLY")
  const elapsed = now_ms() - t0
  const doc = (reply.content as { doc: { roots: unknown } }).doc.roots
  const amplitude = find_model(doc, "amplitude")?.attributes["value"]
  const label = find_model(doc, "label")?.attributes["text"]
  if (amplitude !== value || label !== derived_text(value))
    throw new BenchFailure(
      `scale (store): after ${signal} the session came back with amplitude ${String(amplitude)} and label ${JSON.stringify(label)}, expected ${value} and ${JSON.stringify(derived_text(value))}`,
    )
  await again.close()
  await exited(victim)
  backends[i] = await backend(victim.port, store)
  return elapsed
}

/** Holds HELD_SESSIONS changed sessions open through nginx: sessions and memory per backend, Redis bytes per session. */
async function held_sessions(url: string, backends: ChildServer[], redis: Redis): Promise<Row[]> {
  const rss = (b: ChildServer) => metric(b, "process_resident_memory_bytes")
  const rss_before = await Promise.all(backends.map(rss))
  const writes_before = (await Promise.all(backends.map(writes))).reduce((a, b) => a + b, 0)
  const clients: BokehClient[] = []
  try {
    for (let i = 0; i < HELD_SESSIONS; i += 16) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(16, HELD_SESSIONS - i) }, async () => {
          const client = await BokehClient.open(url, "scale held")
          const { slider_id } = await pull_sliders_doc(client)
          await set_amplitude(client, slider_id, 2)
          return client
        }),
      )
      clients.push(...batch)
    }
    await until(
      "every held session to be written",
      async () => (await Promise.all(backends.map(writes))).reduce((a, b) => a + b, 0) - writes_before >= HELD_SESSIONS,
    )
    const sessions = await Promise.all(backends.map((b) => metric(b, "bokeh_sessions_open")))
    const rss_after = await Promise.all(backends.map(rss))
    const grown = rss_after.reduce((a, b) => a + b, 0) - rss_before.reduce((a, b) => a + b, 0)
    const keys: string[] = []
    let cursor = "0"
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", `${KEY_PREFIX}*`, "COUNT", 1000)
      cursor = next
      keys.push(...batch)
    } while (cursor !== "0")
    let stored = 0
    for (const key of keys) stored += Number(await redis.memory("USAGE", key, "SAMPLES", 0))
    const label = `${N_BACKENDS} backends, ${HELD_SESSIONS} changed sessions open`
    return [
      { scenario: "scale", metric: `sessions per backend, most, ${label}`, value: Math.max(...sessions), unit: "sessions" },
      { scenario: "scale", metric: `sessions per backend, fewest, ${label}`, value: Math.min(...sessions), unit: "sessions" },
      { scenario: "scale", metric: `backend RSS, largest, ${label}`, value: Math.max(...rss_after) / 2 ** 20, unit: "MiB" },
      { scenario: "scale", metric: `backend RSS growth per held session (all backends), ${label}`, value: grown / HELD_SESSIONS / 1024, unit: "KiB" },
      {
        scenario: "scale",
        metric: `Redis memory per stored session (MEMORY USAGE, ${keys.length} keys)`,
        value: stored / Math.max(1, keys.length) / 1024,
        unit: "KiB",
      },
    ]
  } finally {
    await Promise.all(clients.map((c) => c.close()))
  }
}

/** The rows of the store phase, or none (with a note) when redis-server is missing. */
export async function scale_with_store(): Promise<Row[]> {
  if (!existsSync(REDIS_SERVER)) {
    process.stderr.write(`scale: session-store rows skipped, no redis-server at ${REDIS_SERVER} (set REDIS_SERVER=/path/to/redis-server)\n`)
    return []
  }
  const redis_server = await RedisServer.start()
  const redis = new Redis(redis_server.url)
  const backends = await Promise.all(Array.from({ length: N_BACKENDS }, () => backend(undefined, redis_server.url)))
  const nginx = await start_nginx(backends.map((b) => b.port))
  const rows: Row[] = []
  try {
    const url = `ws://127.0.0.1:${nginx.port}/sliders/ws`
    for (let i = 0; i < 2 * N_BACKENDS; i++) {
      // Warm-up: every backend loads the session path.
      const c = await BokehClient.open(url, "scale warm-up")
      await pull_sliders_doc(c)
      await c.close()
    }
    await until_no_connections(backends)
    let value = 1
    for (const signal of ["SIGKILL", "SIGTERM"] as const) {
      const times: number[] = []
      for (let t = 0; t < FAILOVER_TRIALS; t++) {
        await until_no_connections(backends)
        times.push(await resumed_failover(url, backends, redis_server.url, signal, (value += 1)))
      }
      const what = signal === "SIGKILL" ? "backend killed (SIGKILL) after the change was stored" : "backend drained (SIGTERM) right after the change"
      rows.push({
        scenario: "scale",
        metric: `${what} → same session resumed via nginx (state checked), median of ${FAILOVER_TRIALS}, ${N_BACKENDS} backends + Redis`,
        value: summarize(times).p50,
        unit: "ms",
      })
      rows.push({
        scenario: "scale",
        metric: `${what} → same session resumed via nginx (state checked), worst of ${FAILOVER_TRIALS}, ${N_BACKENDS} backends + Redis`,
        value: Math.max(...times),
        unit: "ms",
      })
    }
    rows.push(...(await held_sessions(url, backends, redis)))
  } finally {
    redis.disconnect()
    await nginx.stop()
    await Promise.all(backends.map((b) => b.stop()))
    await redis_server.kill()
  }
  return rows
}
