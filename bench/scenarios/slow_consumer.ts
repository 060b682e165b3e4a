/**
 * slow_consumer: a client of the 3 MB/s firehose app stops reading its socket (a suspended laptop) for
 * SLOW_SECONDS while other clients keep working: a reader of another firehose session and round trips
 * on the sliders app. Measures the server's RSS over the pause (it must not grow with time), the
 * other sessions' latency before and during it, and checks that the slow client then holds the same
 * document as the server, by catching up or, if the server closed it, by reconnecting and pulling.
 */
import { generate_session_id } from "../../src/util/token.ts"
import { FIREHOSE_NAME, PERIOD_MS } from "../apps/firehose.ts"
import { DocClient } from "../lib/doc_client.ts"
import { start_metrics_server } from "../lib/metrics_server.ts"
import { load, summarize } from "../lib/stats.ts"
import { BenchFailure, below, type Row, type Scenario } from "../lib/types.ts"
import { roundtrip_session } from "./roundtrip.ts"
import type { ColumnDataSource } from "../../src/models/main.ts"
import type { Document } from "../../src/document/document.ts"

const SLOW_SECONDS = Number(process.env["BENCH_SLOW_SECONDS"] ?? 60)
const SAMPLE_EVERY_S = 10
const ROUNDTRIP_SESSIONS = 4
/** The server's default outgoing budget (--websocket-max-buffered-bytes). */
const BUDGET_MIB = 8

/** x counts up by one and y = sin(x): no row lost, repeated or reordered. */
function firehose_intact(doc: Document): boolean {
  const data = (doc.select_one({ name: FIREHOSE_NAME }) as ColumnDataSource).data as Record<string, ArrayLike<number>>
  const x = data["x"]!
  const y = data["y"]!
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) {
    if (i > 0 && x[i] !== x[i - 1]! + 1) return false
    if (y[i] !== Math.sin(x[i]!)) return false
  }
  return true
}

export const slow_consumer: Scenario = {
  name: "slow_consumer",
  description: `one client stops reading a 3 MB/s stream for ${SLOW_SECONDS} s (BENCH_SLOW_SECONDS) while others keep working: server RSS, their latency, the slow client's document afterwards`,
  targets: "self",
  async run(ctx) {
    if (ctx.target !== undefined) throw new BenchFailure("slow_consumer: needs the in-process child server (RSS and buffer statistics over IPC)")
    const server = await start_metrics_server()
    const firehose = `ws://127.0.0.1:${server.port}/firehose/ws`
    const sliders = `ws://127.0.0.1:${server.port}/sliders/ws`
    const rows: Row[] = []
    const row = (metric: string, value: number, unit: string): Row => ({ scenario: "slow_consumer", metric, value, unit })
    const clients: DocClient[] = []
    const sessions = await Promise.all(Array.from({ length: ROUNDTRIP_SESSIONS }, () => roundtrip_session(sliders)))
    try {
      const slow_id = generate_session_id()
      const slow = await DocClient.open(firehose, slow_id)
      const reader = await DocClient.open(firehose, generate_session_id())
      clients.push(slow, reader)
      await slow.pull()
      await reader.pull()
      // Each session cycles through values, so every set is a change.
      const counters = sessions.map(() => 0)
      for (const s of sessions) await s.set(-1) // the slider starts at 1
      const roundtrips = (seconds: number) => load(ROUNDTRIP_SESSIONS, seconds, (w) => sessions[w]!.set((counters[w] = (counters[w]! % 5) + 1)))
      const reader_before_0 = reader.patches
      const before = summarize((await roundtrips(ctx.seconds)).latencies)
      const reader_rate_before = (reader.patches - reader_before_0) / ctx.seconds
      const mem_before = await server.memory()

      slow.ws.pause()
      const reader_patches_0 = reader.patches
      const samples: Array<{ rss: number; live: number }> = []
      const during: number[] = []
      let folded = 0
      let peak_unsent = 0
      for (let t = 0; t < SLOW_SECONDS; t += SAMPLE_EVERY_S) {
        during.push(...(await roundtrips(Math.min(SAMPLE_EVERY_S, SLOW_SECONDS - t))).latencies)
        samples.push(await server.memory())
        const c = await server.connections()
        folded = Math.max(folded, c.coalesced_events)
        peak_unsent = Math.max(peak_unsent, c.peak_buffered_bytes)
      }
      const reader_rate = (reader.patches - reader_patches_0) / SLOW_SECONDS
      const peak = (k: "rss" | "live") => Math.max(...samples.map((m) => m[k]))
      const half = samples.slice(Math.floor(samples.length / 2))
      const second_half = (k: "rss" | "live") => half[half.length - 1]![k] - half[0]![k]
      const d = summarize(during)

      slow.ws.resume()
      // Either it catches up (and its document must equal the server's), or the server closed it for
      // staying behind too long, and, as BokehJS does, it reconnects and pulls the document.
      const caught_up = await Promise.race([slow.matches_server().then((ok) => ({ ok })), slow.closed.then(() => null)])
      let how: string
      let correct: boolean
      if (caught_up !== null && slow.close_code === null) {
        how = "caught up"
        correct = caught_up.ok && firehose_intact(slow.doc!)
      } else {
        const again = await DocClient.open(firehose, slow_id)
        clients.push(again)
        await again.pull()
        how = `closed (${slow.close_code}), reconnected`
        correct = firehose_intact(again.doc!) && (await again.matches_server())
      }
      if (!correct) throw new BenchFailure(`slow_consumer: after resuming (${how}) the slow client's document differs from the server's`)
      if (!(await reader.matches_server()) || !firehose_intact(reader.doc!))
        throw new BenchFailure("slow_consumer: the reading client's document differs from the server's")

      const mib = (b: number) => b / 2 ** 20
      rows.push(row("server RSS before the pause", mib(mem_before.rss), "MiB"))
      rows.push(row(`server RSS growth over ${SLOW_SECONDS} s paused (peak − before)`, mib(peak("rss") - mem_before.rss), "MiB"))
      rows.push(below(row("server RSS change over the pause's second half", mib(second_half("rss")), "MiB"), BUDGET_MIB, `< ${BUDGET_MIB} MiB (flat)`))
      // Held unsent (≤ budget + a message) plus the folded stream (≤ budget) plus the catch-up being built.
      rows.push(
        below(
          row(`server live memory growth over the pause (peak − before; heap + Buffers)`, mib(peak("live") - mem_before.live), "MiB"),
          3 * BUDGET_MIB,
          `< ${3 * BUDGET_MIB} MiB (3× budget)`,
        ),
      )
      rows.push(below(row("server live memory change over the pause's second half", mib(second_half("live")), "MiB"), BUDGET_MIB, `< ${BUDGET_MIB} MiB (flat)`))
      rows.push(row("slow connection: peak bytes held unsent", mib(peak_unsent), "MiB"))
      rows.push(row("slow connection: patch events folded while it was open", folded, "events"))
      rows.push(row(`others: round trip p50 before / during (${before.p50.toFixed(2)} ms before)`, d.p50, "ms"))
      rows.push(
        below(
          row(`others: round trip p99 during (${before.p99.toFixed(2)} ms before)`, d.p99, "ms"),
          Math.max(2 * before.p99, before.p99 + 5),
          "≤ 2× before (or +5 ms)",
        ),
      )
      rows.push(
        row(
          `other firehose reader: patches/s during the pause (${reader_rate_before.toFixed(1)}/s before; the app ticks at ${1000 / PERIOD_MS}/s)`,
          reader_rate,
          "1/s",
        ),
      )
      rows.push({ ...row(`slow client afterwards: ${how}, document equals the server's`, 1, "yes"), pass: true, target: "full, correct document" })
      return rows
    } finally {
      for (const c of clients) c.close()
      await Promise.allSettled(sessions.map((s) => s.close()))
      await server.stop()
    }
  },
}
