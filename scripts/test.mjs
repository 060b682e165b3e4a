#!/usr/bin/env node
// Runs the test suite: every test/**/*.test.ts through node:test with tsx (Node 20 has no --test globs).
// Usage: node scripts/test.mjs [--checks] [folder-or-file ...]   (default: test/)
//   --checks   also runs `npm run typecheck` and `npm run lint`, as jobs beside the tests (`npm test`)
//
// Loading the model graph through tsx costs a few seconds of CPU per process, so one process per test
// file spent most of the suite's time on loading. Files that only use in-process state share processes
// ("pooled", see scripts/run_in_process.mjs); files that drive Chromium, Python or whole server processes,
// or that register root-level hooks (which would apply to every file of a shared process), keep one process
// each ("isolated"). Tests that start the CLI as a child process get a bundle of src/ built at the start
// of the run (scripts/test_cli.mjs, through BOKEH_TS_TEST_CLI), which starts in a fraction of tsx's time.
//
// Scheduling: the jobs (the checks, the pools, one per isolated file) run a few at a time, one more than
// there are cores, since most isolated files wait on Chromium, Python or child servers; the longest
// expected job goes first (EXPECTED_SECONDS, else the file's size), and the pooled files are dealt so the
// pools finish together. Each job's output is printed whole when it ends, so the log reads as if they had
// run one after another.
import { spawn } from "node:child_process"
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { dirname, join, sep } from "node:path"

import { find_python } from "../test/interop/find_python.mjs"
import { build_test_cli } from "./test_cli.mjs"

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out)
  } else if (path.endsWith(".test.ts")) out.push(path)
  return out
}

const posix = (f) => f.split(sep).join("/")
const argv = process.argv.slice(2)
const checks = argv.includes("--checks")
const targets = argv.filter((a) => a !== "--checks")
let files = (targets.length > 0 ? targets : ["test"]).flatMap((t) => collect(t, []))
// Tests that need a real Python Bokeh; without one they are skipped with one line, not failed.
const NEEDS_PYTHON = ["test/interop/", "test/conformance/python/"]
const interop = files.filter((f) => NEEDS_PYTHON.some((dir) => posix(f).includes(dir)))
if (interop.length > 0) {
  const found = find_python()
  process.env.BOKEH_INTEROP_FOUND = JSON.stringify(found)
  if (!found.ok) {
    console.log(`Python interop tests skipped (${interop.length} files): ${found.reason}`)
    files = files.filter((f) => !interop.includes(f))
  }
}
if (files.length === 0 && !checks) {
  console.error(interop.length > 0 ? "no test files left to run" : "no test files found")
  process.exit(interop.length > 0 ? 0 : 1)
}

// Folders whose tests start browsers, Python or server processes: a process of their own each.
const ISOLATED_DIRS = ["test/browser/", "test/interop/", "test/conformance/python/", "test/package/", "test/e2e/"]
const ROOT_HOOK = /^(before|after|beforeEach|afterEach)\(/m
const LOCAL_IMPORT = /from\s+"(\.\.?\/[^"]+\.ts)"/g
/** Whether the file, or a test-side module it imports (not src/), registers root-level hooks. */
function has_root_hooks(file, seen = new Set()) {
  if (seen.has(file) || posix(file).includes("/src/") || !existsSync(file)) return false
  seen.add(file)
  const text = readFileSync(file, "utf8")
  if (ROOT_HOOK.test(text)) return true
  return [...text.matchAll(LOCAL_IMPORT)].some(([, spec]) => has_root_hooks(join(dirname(file), spec), seen))
}
const isolated = (f) => ISOLATED_DIRS.some((dir) => posix(f).includes(dir)) || has_root_hooks(f)

// Seconds the slow files take alone on a 2-core machine (measured; a rough guide for the order, nothing
// fails when they change). Any other file is guessed from its size.
const EXPECTED_SECONDS = {
  "test/package/pack.test.ts": 40,
  "test/browser/gallery.test.ts": 30,
  "test/browser/load_balanced.test.ts": 20,
  "test/browser/server_app.test.ts": 17,
  "test/interop/sweep.test.ts": 16,
  "test/unit/command/standalone_cli.test.ts": 10,
  "test/browser/export.test.ts": 13,
  "test/browser/page_bundles.test.ts": 12,
  "test/conformance/python/python_reads_our_json.test.ts": 12,
  "test/unit/command/serve_dev.test.ts": 15,
  "test/unit/bench/side_by_side.test.ts": 12,
  "test/unit/command/serve_drain.test.ts": 8,
  "test/unit/fuzz/short_run.test.ts": 10,
  "test/unit/command/serve_processes.test.ts": 6,
}
const CHECK_SECONDS = { typecheck: 20, lint: 6 }
/** A process of its own costs this much more than a file in a pool (loading tsx and the model graph). */
const PROCESS_SECONDS = 3
const expected = (f) => EXPECTED_SECONDS[posix(f)] ?? Math.max(0.5, statSync(f).size / 4000)

const cores = availableParallelism()
const lanes = Math.max(1, Number(process.env.BOKEH_TEST_JOBS ?? cores + 1))
const alone = files.filter(isolated)
const pooled = files.filter((f) => !isolated(f))

// Pooled files go, longest first, to the pool expected to finish first (one pool per core).
const pools = Array.from({ length: Math.min(cores, pooled.length) }, () => ({ files: [], seconds: PROCESS_SECONDS }))
for (const f of [...pooled].sort((a, b) => expected(b) - expected(a))) {
  const pool = pools.reduce((best, p) => (p.seconds < best.seconds ? p : best))
  pool.files.push(f)
  pool.seconds += expected(f)
}

const tsx_test = (file_args) => [process.execPath, "--import", "tsx", ...file_args]
const jobs = [
  ...(checks
    ? ["typecheck", "lint"].map((script) => ({ name: `npm run ${script}`, command: ["npm", "run", "--silent", script], seconds: CHECK_SECONDS[script] }))
    : []),
  ...pools.map((pool, i) => ({
    name: `pooled ${i + 1}/${pools.length} (${pool.files.length} files)`,
    command: tsx_test(["scripts/run_in_process.mjs", ...pool.files.sort()]),
    seconds: pool.seconds,
  })),
  ...alone.map((f) => ({ name: posix(f), command: tsx_test([f]), seconds: expected(f) + PROCESS_SECONDS })),
].sort((a, b) => b.seconds - a.seconds)

const STUCK_MS = Number(process.env.BOKEH_TEST_STUCK_SECONDS ?? 300) * 1000
const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-test-"))
const cli = files.length > 0 ? await build_test_cli() : null
const env = { ...process.env, ...(cli !== null ? { BOKEH_TS_TEST_CLI: cli.bin, BOKEH_TS_TEST_BENCH_SERVERS: cli.bench_servers } : {}) }

function run(job, i) {
  const out = join(dir, `${i}.log`)
  const started = Date.now()
  return new Promise((resolve) => {
    const log = createWriteStream(out)
    const [command, ...args] = job.command
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env })
    child.stdout.pipe(log, { end: false })
    child.stderr.pipe(log, { end: false })
    // A job that prints nothing for this long is stuck (a test awaiting what never comes): end it, so the
    // run fails with the log so far instead of hanging CI. Not a timing assertion: tests print as they go.
    let quiet_since = Date.now()
    const touch = () => (quiet_since = Date.now())
    child.stdout.on("data", touch)
    child.stderr.on("data", touch)
    let stuck = false
    const watchdog = setInterval(() => {
      if (Date.now() - quiet_since < STUCK_MS) return
      stuck = true
      child.kill("SIGKILL")
    }, 5000)
    child.on("close", (code, signal) => {
      clearInterval(watchdog)
      log.end(() => {
        const why = stuck ? `no output for ${STUCK_MS / 1000} s, killed` : (signal ?? `exit ${code}`)
        const took = ((Date.now() - started) / 1000).toFixed(1)
        process.stdout.write(`\n# ===== ${job.name}: ${code === 0 && !stuck ? "passed" : `FAILED (${why})`} in ${took} s\n`)
        process.stdout.write(readFileSync(out))
        resolve(code === 0 && !stuck)
      })
    })
  })
}

// `lanes` workers take the next job (longest expected first) as each finishes its last.
const results = new Array(jobs.length)
let next = 0
async function lane() {
  while (next < jobs.length) {
    const i = next++
    results[i] = await run(jobs[i], i)
  }
}
await Promise.all(Array.from({ length: Math.min(lanes, jobs.length) }, lane))
rmSync(dir, { recursive: true, force: true })
if (cli !== null) rmSync(cli.dir, { recursive: true, force: true })
const failed = jobs.filter((_, i) => !results[i]).map((j) => j.name)
console.log(failed.length === 0 ? `\n# all ${jobs.length} test jobs passed` : `\n# FAILED jobs: ${failed.join("; ")}`)
process.exit(failed.length === 0 ? 0 : 1)
