/**
 * `npm run fuzz -- [--seed N] [--count N] [--seconds S] [--in-process]`: runs the protocol fuzzer
 * (fuzz/runner.ts) against the fuzz app in a child server process (or in this process) and prints
 * its report as JSON. Exits 1 on any crash, hang, wedged session, change seen by the well-behaved
 * session or oracle failure, or if the server's RSS after the run is more than 10% above before.
 */
import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

import { Server } from "../src/server/server.ts"
import { set_log_level } from "../src/util/logging.ts"
import { fuzz_app } from "./app.ts"
import { run_fuzz, type FuzzOptions, type FuzzReport } from "./runner.ts"

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    count: { type: "string", default: "10000" },
    seconds: { type: "string", default: "600" },
    "in-process": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
})
if (values.help) {
  console.log("usage: npm run fuzz -- [--seed N] [--count N] [--seconds S] [--in-process]")
  process.exit(0)
}
set_log_level("none")
const seed = Number(values.seed)
const count = Number(values.count)
const seconds = Number(values.seconds)

async function child_server(): Promise<{ options: Pick<FuzzOptions, "url" | "alive" | "memory" | "settle">; stop(): Promise<void> }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "server.ts")
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit", "ipc"] })
  let alive = true
  child.once("exit", () => {
    alive = false
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ""
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString()
      const m = /PORT (\d+)/.exec(out)
      if (m !== null) resolve(Number(m[1]))
    })
    child.once("exit", (code) => reject(new Error(`fuzz server exited with ${code}`)))
  })
  const ask = <T>(op: string) =>
    new Promise<T>((resolve) => {
      child.once("message", (m) => resolve(m as T))
      child.send({ op })
    })
  return {
    options: {
      url: `ws://127.0.0.1:${port}/fuzz/ws`,
      alive: () => alive,
      memory: () => ask<{ rss: number; live: number }>("memory"),
      settle: async () => {
        for (let i = 0; i < 100 && (await ask<{ sessions: number }>("sessions")).sessions > 0; i++) await new Promise((r) => setTimeout(r, 300))
      },
    },
    async stop() {
      child.stdin!.end()
      await new Promise((r) => child.once("exit", r))
    },
  }
}

let report: FuzzReport
if (values["in-process"]) {
  const server = new Server({ "/fuzz": fuzz_app }, { port: 0, address: "127.0.0.1" })
  await server.start()
  report = await run_fuzz({ url: `ws://127.0.0.1:${server.port}/fuzz/ws`, seed, count, seconds })
  await server.stop()
} else {
  const child = await child_server()
  // Warm up (JIT, first sessions) before the memory baseline.
  await run_fuzz({ url: child.options.url, seed: seed + 1_000_000, count: 2000, seconds })
  await child.options.settle!()
  report = await run_fuzz({
    ...child.options,
    seed,
    count,
    seconds,
    progress: (r) => {
      if (r.cases % 50_000 === 0) process.stderr.write(`${r.cases} cases, ${r.failures.length} failures\n`)
    },
  })
  await child.stop()
}
console.log(JSON.stringify(report, null, 2))
const rss_ok = report.memory_before === undefined || report.memory_after!.rss <= report.memory_before.rss * 1.1
const ok = report.crashes === 0 && report.hangs === 0 && report.wedged === 0 && report.foreign_changes === 0 && report.failures.length === 0 && rss_ok
if (!ok) console.error(`FUZZ FAILED${rss_ok ? "" : " (RSS after the run is more than 10% above before)"}`)
process.exit(ok ? 0 : 1)
