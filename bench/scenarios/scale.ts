/**
 * scale: bokeh-ts behind a real nginx (started by the bench with docs/deploy.md's configuration on free
 * ports) over 1 and 3 backend processes: sessions/s and round trip p50/p99 through the proxy, and with
 * 3 backends the time from killing the backend that holds a session (SIGKILL, and SIGTERM which drains)
 * until the same client, reconnecting with the same token as BokehJS does, has a session again through
 * nginx on another backend. Without a session store that session is a fresh one; the same kills with a
 * session store (scale_store.ts: a redis-server on a free port) give the session back with its state.
 */
import { existsSync } from "node:fs"

import { BokehClient, pull_sliders_doc } from "../lib/bokeh_client.ts"
import { backend, exited, holder, metric, until_no_connections } from "../lib/backends.ts"
import type { ChildServer } from "../lib/child_server.ts"
import { NGINX, start_nginx } from "../lib/nginx.ts"
import { load, now_ms, summarize } from "../lib/stats.ts"
import { BenchFailure, type Row } from "../lib/types.ts"
import type { Scenario } from "../lib/types.ts"
import { generate_jwt_token, generate_session_id } from "../../src/util/token.ts"
import { roundtrip_session } from "./roundtrip.ts"
import { scale_with_store } from "./scale_store.ts"
import { one_session } from "./sessions.ts"

const BACKENDS = [1, 3]
const FAILOVER_TRIALS = 3

/** Sessions/s and round trip p50 at c=1 against `url`, for the direct-vs-nginx comparison. */
async function measure(url: string, c: number, seconds: number): Promise<{ sessions_per_s: number; roundtrip_p50: number }> {
  const s = await load(c, seconds, () => one_session(url))
  const session = await roundtrip_session(url)
  let v = 0
  await session.set(-1)
  const r = await load(1, seconds, () => session.set((v = (v % 5) + 1)))
  await session.close()
  return { sessions_per_s: s.latencies.length / s.elapsed_s, roundtrip_p50: summarize(r.latencies).p50 }
}

/** Milliseconds from `kill(backend holding the session)` until the client has a session again through nginx. */
async function failover(url: string, backends: ChildServer[], signal: "SIGKILL" | "SIGTERM"): Promise<number> {
  const token = generate_jwt_token(generate_session_id())
  const client = await BokehClient.open(url, "scale failover", token)
  await pull_sliders_doc(client)
  const i = await holder(backends, "scale")
  const victim = backends[i]!
  const t0 = now_ms()
  victim.process.kill(signal)
  // The client sees the close (1006 after SIGKILL, 1001 after the drain), then reconnects at once.
  await client.poll(30_000, "the close").then(
    (m) => {
      throw new BenchFailure(`scale: expected the connection to close, got ${m?.header.msgtype ?? "nothing within 30 s"}`)
    },
    () => {},
  )
  const again = await BokehClient.open(url, "scale failover", token)
  await pull_sliders_doc(again)
  const elapsed = now_ms() - t0
  await again.close()
  await exited(victim)
  backends[i] = await backend(victim.port)
  return elapsed
}

export const scale: Scenario = {
  name: "scale",
  description:
    "through nginx over 1 and 3 backends: sessions/s, round trip p50/p99; with 3, backend kill (SIGKILL / SIGTERM drain) → new session through nginx, and with a Redis session store → the same session resumed (state checked); sessions, RSS and Redis bytes per session",
  targets: "none",
  async run(ctx) {
    if (!existsSync(NGINX)) {
      process.stderr.write(`scale: skipped, no nginx at ${NGINX} (set NGINX=/path/to/nginx)\n`)
      return []
    }
    const c = ctx.concurrency ?? 16
    const rows: Row[] = []
    for (const n of BACKENDS) {
      const backends = await Promise.all(Array.from({ length: n }, () => backend()))
      const nginx = await start_nginx(backends.map((b) => b.port))
      const label = `${n} backend${n === 1 ? "" : "s"}`
      try {
        const url = `ws://127.0.0.1:${nginx.port}/sliders/ws`
        for (let i = 0; i < 2 * n; i++) await one_session(url) // warm-up: every backend loads the session path
        if (n === 1) {
          // The same backend without the proxy, measured now: the machine's load changes between runs.
          const direct = await measure(`ws://127.0.0.1:${backends[0]!.port}/sliders/ws`, c, ctx.seconds)
          rows.push({ scenario: "scale", metric: `sessions/s direct (no nginx), 1 backend, c=${c}`, value: direct.sessions_per_s, unit: "1/s" })
          rows.push({ scenario: "scale", metric: "round trip p50 direct (no nginx), 1 backend, c=1", value: direct.roundtrip_p50, unit: "ms" })
          const replies = await metric(backends[0]!, 'bokeh_messages_sent_total{msgtype="PULL-DOC-REPLY"}')
          const bytes = await metric(backends[0]!, 'bokeh_sent_bytes_total{msgtype="PULL-DOC-REPLY"}')
          rows.push({ scenario: "scale", metric: "document size (PULL-DOC-REPLY of the sliders app)", value: bytes / replies / 1024, unit: "KiB" })
        }
        const s = await load(c, ctx.seconds, () => one_session(url))
        const ss = summarize(s.latencies)
        rows.push({ scenario: "scale", metric: `sessions/s via nginx, ${label}, c=${c}`, value: s.latencies.length / s.elapsed_s, unit: "1/s" })
        rows.push({ scenario: "scale", metric: `session latency p99 via nginx, ${label}, c=${c}`, value: ss.p99, unit: "ms" })
        for (const k of [1, c]) {
          const sessions = await Promise.all(Array.from({ length: k }, () => roundtrip_session(url)))
          const counters = sessions.map(() => 0)
          for (const x of sessions) await x.set(-1)
          const r = await load(k, ctx.seconds, (w) => sessions[w]!.set((counters[w] = (counters[w]! % 5) + 1)))
          await Promise.all(sessions.map((x) => x.close()))
          const rs = summarize(r.latencies)
          if (k > 1) rows.push({ scenario: "scale", metric: `round trips/s via nginx, ${label}, c=${k}`, value: r.latencies.length / r.elapsed_s, unit: "1/s" })
          rows.push({ scenario: "scale", metric: `round trip p50 via nginx, ${label}, c=${k}`, value: rs.p50, unit: "ms" })
          rows.push({ scenario: "scale", metric: `round trip p99 via nginx, ${label}, c=${k}`, value: rs.p99, unit: "ms" })
        }
        if (n > 1) {
          // Let the load's websockets finish closing, so the one failover session is the only one counted.
          await until_no_connections(backends)
          for (const signal of ["SIGKILL", "SIGTERM"] as const) {
            const times: number[] = []
            for (let t = 0; t < FAILOVER_TRIALS; t++) times.push(await failover(url, backends, signal))
            const what = signal === "SIGKILL" ? "backend killed (SIGKILL)" : "backend drained (SIGTERM)"
            rows.push({
              scenario: "scale",
              metric: `${what} → new session via nginx, median of ${FAILOVER_TRIALS}, ${label}`,
              value: summarize(times).p50,
              unit: "ms",
            })
            rows.push({
              scenario: "scale",
              metric: `${what} → new session via nginx, worst of ${FAILOVER_TRIALS}, ${label}`,
              value: Math.max(...times),
              unit: "ms",
            })
          }
        }
      } finally {
        await nginx.stop()
        await Promise.all(backends.map((b) => b.stop()))
      }
    }
    rows.push(...(await scale_with_store()))
    return rows
  },
}
