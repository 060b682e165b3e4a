/**
 * client: our own ClientSession (src/client) against the sliders app. `pull_session({ url })` of the
 * ~40-model document (open → ACK → PULL-DOC → document built → close) p50/p99, and a client round
 * trip through the session document: set the amplitude slider's value, then AppDriver.until() the
 * derived label text arrives in the session's document, p50/p99. Both at c=1.
 */
import { derived_text } from "../apps/sliders.ts"
import { load, summarize } from "../lib/stats.ts"
import { with_target } from "../lib/target.ts"
import { BenchFailure, type Row, type Scenario } from "../lib/types.ts"
import { pull_session } from "../../src/client/session.ts"
import type { Document } from "../../src/document/document.ts"
import type { Div } from "../../src/index.ts"
import { AppDriver } from "../../src/testing/app_driver.ts"

/** `ws://host:port/app/ws` (what with_target hands out) → the app's HTTP URL pull_session takes. */
export function http_url(ws: string): string {
  const url = new URL(ws)
  url.protocol = url.protocol === "wss:" ? "https:" : "http:"
  url.pathname = url.pathname.replace(/\/ws$/, "")
  return url.toString()
}

function check_doc(doc: Document | null, what: string): number {
  if (doc === null) throw new BenchFailure(`client: ${what}: the pulled session has no document`)
  const models = doc.all_models.size
  if (models < 30) throw new BenchFailure(`client: ${what}: expected the ~40-model sliders document, got ${models} models`)
  for (const name of ["amplitude", "label"])
    if (doc.get_model_by_name(name) === null) throw new BenchFailure(`client: ${what}: no model named "${name}" in the pulled document`)
  return models
}

export const client: Scenario = {
  name: "client",
  description: "our ClientSession: pull_session of the ~40-model sliders doc, and set slider → derived label in the session document",
  targets: "any",
  async run(ctx) {
    return await with_target(ctx.target, async (ws) => {
      const url = http_url(ws)
      const rows: Row[] = []

      // Pull latency: a fresh session each time, document validated, then closed.
      let models = 0
      for (let i = 0; i < 5; i++) {
        await using s = await pull_session({ url })
        models = check_doc(s.document, "warm-up pull")
      }
      const pulls = await load(1, ctx.seconds, async () => {
        await using s = await pull_session({ url })
        check_doc(s.document, "pull")
      })
      if (pulls.latencies.length < 10) throw new BenchFailure(`client: only ${pulls.latencies.length} pulls in ${ctx.seconds}s`)
      const p = summarize(pulls.latencies)
      rows.push({ scenario: "client", metric: `pull_session p50 (${models} models)`, value: p.p50, unit: "ms" })
      rows.push({ scenario: "client", metric: `pull_session p99 (${models} models)`, value: p.p99, unit: "ms" })

      // Round trip through the session document.
      await using app = new AppDriver(await pull_session({ url }))
      check_doc(app.session.document, "round-trip session")
      const label = app.get<Div>("label")
      const text = (): unknown => label.text
      const set = async (value: number): Promise<void> => {
        const expected = derived_text(value)
        app.set("amplitude", { value })
        try {
          await app.until(() => text() === expected, { timeout: 5000, message: `label.text === ${JSON.stringify(expected)}` })
        } catch (error) {
          throw new BenchFailure(
            `client: after setting amplitude=${value}, the label never became ${JSON.stringify(expected)} (it is ${JSON.stringify(text())}): ${(error as Error).message}`,
          )
        }
      }
      await set(-1) // warm-up and validation
      let v = 0
      const trips = await load(1, ctx.seconds, () => set((v = (v % 5) + 1)))
      if (trips.latencies.length < 10) throw new BenchFailure(`client: only ${trips.latencies.length} round trips in ${ctx.seconds}s`)
      const r = summarize(trips.latencies)
      rows.push({ scenario: "client", metric: "round trip p50, c=1", value: r.p50, unit: "ms" })
      rows.push({ scenario: "client", metric: "round trip p99, c=1", value: r.p99, unit: "ms" })
      return rows
    })
  },
}
