/**
 * Benchmark runner: `npm run bench` runs every scenario against our own server; `npm run bench --
 * --scenario NAME… [--target self|URL]… [--concurrency N] [--seconds S] [--no-write]` runs some, against
 * one or more servers side by side. Prints a Markdown table and JSON, writes bench/results/latest.json
 * (or --json PATH) and (full runs only, unless --write) docs/benchmarks.md.
 */
import { parseArgs } from "node:util"

import { add_ceiling_ratios, machine, markdown_table, write_doc, write_json, type RunInfo } from "./lib/report.ts"
import { describe_run, run_planned } from "./lib/runner.ts"
import { side_by_side_table } from "./lib/side_by_side.ts"
import { parse_targets, plan_runs, SELF } from "./lib/targets.ts"
import { BenchFailure, type Scenario } from "./lib/types.ts"
import { ceiling } from "./scenarios/ceiling.ts"
import { client } from "./scenarios/client.ts"
import { dev_reload } from "./scenarios/dev_reload.ts"
import { doc_40_models } from "./scenarios/doc_40_models.ts"
import { memory } from "./scenarios/memory.ts"
import { page_load } from "./scenarios/page_load.ts"
import { roundtrip } from "./scenarios/roundtrip.ts"
import { scale } from "./scenarios/scale.ts"
import { serialize_1m } from "./scenarios/serialize_1m.ts"
import { sessions } from "./scenarios/sessions.ts"
import { slow_consumer } from "./scenarios/slow_consumer.ts"
import { startup } from "./scenarios/startup.ts"
import { storm } from "./scenarios/storm.ts"
import { stream } from "./scenarios/stream.ts"
import { set_log_level } from "../src/util/logging.ts"

/** In run order: the ceiling comes before the scenarios compared with it. */
export const scenarios: readonly Scenario[] = [
  serialize_1m,
  doc_40_models,
  ceiling,
  sessions,
  roundtrip,
  stream,
  memory,
  storm,
  client,
  slow_consumer,
  dev_reload,
  startup,
  scale,
  page_load,
]

const { values } = parseArgs({
  options: {
    scenario: { type: "string", multiple: true },
    target: { type: "string", multiple: true },
    concurrency: { type: "string" },
    seconds: { type: "string" },
    json: { type: "string" },
    write: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
})

if (values.help) {
  console.log(`usage: npm run bench -- [--scenario NAME]… [--target ${SELF}|URL]… [--concurrency N] [--seconds S] [--json PATH] [--write|--no-write]
  --json: where to write the run's JSON (default bench/results/latest.json)
  --target: repeatable; "${SELF}" is our bokeh-ts server in a child process (the default), a URL is the sliders-like
            app on another server (its stream app is the sibling path /stream). Targets are measured side by side.
scenarios: ${scenarios.map((s) => `\n  ${s.name}: ${s.description}`).join("")}`)
  process.exit(0)
}

const usage_error = (message: string): never => {
  console.error(message)
  process.exit(2)
}

set_log_level("none")
const names = values.scenario ?? scenarios.map((s) => s.name)
const selected = names.map(
  (n) => scenarios.find((x) => x.name === n) ?? usage_error(`unknown scenario ${JSON.stringify(n)}; known: ${scenarios.map((x) => x.name).join(", ")}`),
)
const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined
if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0))
  usage_error(`--concurrency must be a positive integer, got ${values.concurrency}`)
const seconds = Number(values.seconds ?? 5)

const plan = ((): ReturnType<typeof plan_runs> => {
  try {
    return plan_runs(selected, parse_targets(values.target ?? []), values.scenario !== undefined)
  } catch (error) {
    return usage_error((error as Error).message)
  }
})()
for (const s of plan.skipped) process.stderr.write(`skipping ${s}\n`)

const rows = await run_planned(plan.runs, { concurrency, seconds, on_start: (run) => process.stderr.write(`running ${describe_run(run)}…\n`) }).catch(
  (error: unknown) => {
    console.error(`\nBENCHMARK FAILED: ${error instanceof BenchFailure ? error.message : String(error)}`)
    process.exit(1)
  },
)
add_ceiling_ratios(rows)

const info: RunInfo = {
  date: new Date().toISOString(),
  machine: machine(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
  seconds,
  rows,
}
if (values.target !== undefined) info.targets = values.target
console.log(markdown_table(rows))
const side_by_side = side_by_side_table(rows)
if (side_by_side !== "") console.log(`\nSide by side:\n\n${side_by_side}\n`)
console.log(JSON.stringify(info, null, 2))
const written = [write_json(info, values.json)]
const full = values.scenario === undefined && values.target === undefined
if (!values["no-write"] && (full || values.write)) written.push(write_doc(info))
console.error(`wrote ${written.join(", ")}`)
