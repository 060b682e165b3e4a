/**
 * memory: server RSS (after forced GC, reported by the server over IPC) with 0, 1,000 and 10,000 idle
 * sessions of the sliders-like app. Each session is a websocket that did ACK + PULL-DOC and stays open.
 */
import { BokehClient, pull_sliders_doc } from "../lib/bokeh_client.ts"
import { start_metrics_server } from "../lib/metrics_server.ts"
import { BenchFailure, below, type Row, type Scenario } from "../lib/types.ts"

const LEVELS = [1_000, 10_000]
const TARGET_KB = 60
/** Sessions being opened at once while filling up. */
const BATCH = 100

async function open_session(url: string): Promise<BokehClient> {
  const client = await BokehClient.open(url, "memory")
  await pull_sliders_doc(client)
  return client
}

export const memory: Scenario = {
  name: "memory",
  description: "server RSS after GC with 0 / 1,000 / 10,000 idle sessions (ws open after ACK + PULL-DOC); KB per session",
  targets: "self",
  async run(ctx) {
    if (ctx.target !== undefined) throw new BenchFailure("memory: needs the in-process child server (it reports its RSS over IPC); --target is not supported")
    const server = await start_metrics_server()
    const clients: BokehClient[] = []
    try {
      await (await open_session(server.url)).close() // warm-up: loads and JITs the session path
      const rss_0 = await server.rss()
      const rows: Row[] = [{ scenario: "memory", metric: "server RSS, 0 sessions", value: rss_0 / 2 ** 20, unit: "MiB" }]
      for (const n of LEVELS) {
        while (clients.length < n) {
          const k = Math.min(BATCH, n - clients.length)
          clients.push(...(await Promise.all(Array.from({ length: k }, () => open_session(server.url)))))
        }
        const rss = await server.rss()
        rows.push({ scenario: "memory", metric: `server RSS, ${n} sessions`, value: rss / 2 ** 20, unit: "MiB" })
        rows.push(
          below(
            { scenario: "memory", metric: `RSS per idle session, ${n} sessions`, value: (rss - rss_0) / n / 1024, unit: "KB" },
            TARGET_KB,
            `≤ ${TARGET_KB} KB`,
          ),
        )
      }
      return rows
    } finally {
      await Promise.allSettled(clients.map((c) => c.close()))
      await server.stop()
    }
  },
}
