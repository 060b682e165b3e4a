/**
 * The side-by-side table of a run with several servers: one line per (scenario, metric) measured on
 * more than one server, one value column per server, and with exactly two servers their ratio.
 */
import { fmt } from "./format.ts"
import type { Row } from "./types.ts"

/** Server labels in first-seen order. */
export function servers_of(rows: readonly Row[]): string[] {
  return [...new Set(rows.flatMap((r) => (r.server !== undefined ? [r.server] : [])))]
}

/** Empty string when fewer than two servers were measured. */
export function side_by_side_table(rows: readonly Row[]): string {
  const servers = servers_of(rows)
  if (servers.length < 2) return ""
  const lines = new Map<string, { scenario: string; metric: string; unit: string; values: Map<string, number> }>()
  for (const r of rows) {
    if (r.server === undefined) continue
    const key = `${r.scenario}\u0000${r.metric}`
    const line = lines.get(key) ?? { scenario: r.scenario, metric: r.metric, unit: r.unit, values: new Map<string, number>() }
    line.values.set(r.server, r.value)
    lines.set(key, line)
  }
  const pair = servers.length === 2
  const head = `| scenario | metric | ${servers.join(" | ")} |${pair ? ` ${servers[0]} ÷ ${servers[1]} |` : ""}`
  const rule = `|---|---|${servers.map(() => "---|").join("")}${pair ? "---|" : ""}`
  const out = [head, rule]
  for (const l of lines.values()) {
    if (l.values.size < 2) continue
    const cells = servers.map((s) => (l.values.has(s) ? `${fmt(l.values.get(s)!)} ${l.unit}` : "—"))
    const ratio = pair ? ` ${(l.values.get(servers[0]!)! / l.values.get(servers[1]!)!).toFixed(2)}× |` : ""
    out.push(`| ${l.scenario} | ${l.metric} | ${cells.join(" | ")} |${ratio}`)
  }
  return out.join("\n")
}
