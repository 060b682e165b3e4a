/**
 * Benchmark runner: `npm run bench` runs every scenario; `npm run bench -- --scenario NAME
 * [--target URL] [--concurrency N] [--seconds S] [--no-write]` runs one. Prints a Markdown table and
 * JSON, writes bench/results/latest.json and (full runs only, unless --write) docs/benchmarks.md.
 */
import { parseArgs } from "node:util"

import { add_ceiling_ratios, machine, markdown_table, write_doc, write_json, type RunInfo } from "./lib/report.ts"
import { BenchFailure, type Row, type Scenario } from "./lib/types.ts"
import { ceiling } from "./scenarios/ceiling.ts"
import { client } from "./scenarios/client.ts"
import { doc_40_models } from "./scenarios/doc_40_models.ts"
import { memory } from "./scenarios/memory.ts"
import { roundtrip } from "./scenarios/roundtrip.ts"
import { serialize_1m } from "./scenarios/serialize_1m.ts"
import { sessions } from "./scenarios/sessions.ts"
import { storm } from "./scenarios/storm.ts"
import { set_log_level } from "../src/util/logging.ts"

/** In run order: the ceiling comes before the scenarios compared with it. */
export const scenarios: readonly Scenario[] = [serialize_1m, doc_40_models, ceiling, sessions, roundtrip, memory, storm, client]

const { values } = parseArgs({
  options: {
    scenario: { type: "string", multiple: true },
    target: { type: "string" },
    concurrency: { type: "string" },
    seconds: { type: "string" },
    write: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
})

if (values.help) {
  console.log(`usage: npm run bench -- [--scenario NAME]… [--target URL] [--concurrency N] [--seconds S] [--write|--no-write]\nscenarios: ${scenarios.map((s) => `\n  ${s.name}: ${s.description}`).join("")}`)
  process.exit(0)
}

set_log_level("none")
const names = values.scenario ?? scenarios.map((s) => s.name)
const selected = names.map((n) => {
  const s = scenarios.find((x) => x.name === n)
  if (s === undefined) {
    console.error(`unknown scenario ${JSON.stringify(n)}; known: ${scenarios.map((x) => x.name).join(", ")}`)
    process.exit(2)
  }
  return s
})
const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined
if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
  console.error(`--concurrency must be a positive integer, got ${values.concurrency}`)
  process.exit(2)
}
const seconds = Number(values.seconds ?? 5)

const rows: Row[] = []
for (const s of selected) {
  process.stderr.write(`running ${s.name}…\n`)
  try {
    rows.push(...(await s.run({ target: values.target, concurrency, seconds, results: rows })))
  } catch (error) {
    const message = error instanceof BenchFailure ? error.message : `${s.name}: ${(error as Error).stack ?? String(error)}`
    console.error(`\nBENCHMARK FAILED: ${message}`)
    process.exit(1)
  }
}
add_ceiling_ratios(rows)

const info: RunInfo = { date: new Date().toISOString(), machine: machine(), command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`, seconds, rows }
if (values.target !== undefined) info.target = values.target
console.log(markdown_table(rows))
console.log(JSON.stringify(info, null, 2))
const written = [write_json(info)]
const full = values.scenario === undefined && values.target === undefined
if (!values["no-write"] && (full || values.write)) written.push(write_doc(info))
console.error(`wrote ${written.join(", ")}`)
