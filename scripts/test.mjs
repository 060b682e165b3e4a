#!/usr/bin/env node
// Runs the test suite: every test/**/*.test.ts through node:test with tsx (Node 20 has no --test globs).
// Usage: node scripts/test.mjs [--checks] [folder-or-file ...]   (default: test/)
//   --checks   also runs `npm run typecheck` and `npm run lint`, as jobs beside the tests (`npm test`)
//   --plan     prints the jobs in the order they would start and the pools' queue (expected seconds), and exits
//
// Loading the model graph through tsx costs a few seconds of CPU per process, so one process per test
// file spent most of the suite's time on loading. Test files share processes ("pooled", see
// scripts/run_in_process.mjs) unless they register root-level hooks that would miss or apply to the
// other files of a shared process, or pack the package ("isolated": a process each). Tests that start the CLI or a
// benchmark server as a child process get a bundle of src/ built at the start of the run
// (scripts/test_cli.mjs, through BOKEH_TS_TEST_CLI and BOKEH_TS_TEST_BENCH_SERVERS), which starts in a
// fraction of tsx's time.
//
// Scheduling: jobs (the pools, the isolated files, the checks) run two per core, since many tests wait on
// Chromium, Python or child servers. The isolated files and the checks start first, longest first; the
// pooled files form one queue, longest first (by the durations recorded on this machine, else
// EXPECTED_SECONDS, else the file's size), from which each pool takes a file whenever it is done with its
// last, so the pools end about together. Each job's output is printed whole when it ends, so the log reads
// as if they had run one after another. BOKEH_TEST_JOBS sets the number of lanes; BOKEH_TEST_CPU=1 adds
// each job's CPU time (through GNU time) to its header line.
import { spawn } from "node:child_process"
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { dirname, join, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"

import { find_python } from "../test/interop/find_python.mjs"
import { build_test_cli } from "./test_cli.mjs"
import { DURATIONS_REPORTER, load_durations, save_durations } from "./test_durations.mjs"

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out)
  } else if (path.endsWith(".test.ts")) out.push(path)
  return out
}

const posix = (f) => f.split(sep).join("/")
const argv = process.argv.slice(2)
const checks = argv.includes("--checks")
const show_plan = argv.includes("--plan")
const targets = argv.filter((a) => a !== "--checks" && a !== "--plan")
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

// Files that register root-level `before`, `beforeEach` or `afterEach` hooks (which would miss or apply to
// the other files of a shared process) or set environment variables at their top level get a process of
// their own ("isolated"); so does the package test, which packs and installs with npm. (A root-level
// `after` runs once every file's tests are done: fine.)
// Every other file shares a process with others ("pooled"): browser, Python and child-server tests
// too, since a process each would load tsx and the model graph again (~3 s of CPU) for every file.
const ISOLATED_DIRS = ["test/package/"]
const ROOT_HOOK = /^(before|beforeEach|afterEach)\(/m
// Loading BokehJS into Node (the conformance oracle) installs a fake DOM in the process's globals, which
// Playwright's client then mistakes for a page's: those files share processes only with each other.
const FAKE_DOM = /from\s+"[^"]*scripts\/bokehjs\/load\.ts"/
const LOCAL_IMPORT = /from\s+"(\.\.?\/[^"]+\.ts)"/g
// Where the walk stops: src/ is the code under test (~1000 modules), not test-side code.
const SRC = join(fileURLToPath(new URL("..", import.meta.url)), "src") + sep
const texts = new Map()
/** A file's text, read once for all the walks; null when there is no such file. */
function text_of(path) {
  if (!texts.has(path)) texts.set(path, existsSync(path) ? readFileSync(path, "utf8") : null)
  return texts.get(path)
}
/** Whether the file, or a test-side module it imports (not src/), has text matching `pattern`. */
function reaches(file, pattern, seen = new Set()) {
  const path = resolve(file)
  if (seen.has(path) || path.startsWith(SRC)) return false
  seen.add(path)
  const text = text_of(path)
  if (text === null) return false
  if (pattern.test(text)) return true
  return [...text.matchAll(LOCAL_IMPORT)].some(([, spec]) => reaches(join(dirname(path), spec), pattern, seen))
}
// A file that sets an environment variable at its top level changes it for the files imported after it.
const TOP_LEVEL_ENV = /^process\.env\b[^\n]*[^=!<>]=[^=]/m
const isolated = (f) => ISOLATED_DIRS.some((dir) => posix(f).includes(dir)) || reaches(f, ROOT_HOOK) || reaches(f, TOP_LEVEL_ENV)

// Seconds the slow files take in a full run on a 2-core machine (measured; a rough guide for the order,
// nothing fails when they change). Full runs record what each file took on this machine
// (scripts/test_durations.mjs), and those figures come first; a file in neither is guessed from its size.
const EXPECTED_SECONDS = {
  "test/package/pack.test.ts": 60,
  "test/browser/load_balanced.test.ts": 33,
  "test/interop/sweep.test.ts": 32,
  "test/browser/gallery.test.ts": 24,
  "test/interop/errors.test.ts": 23,
  "test/browser/server_app.test.ts": 18,
  "test/browser/page_bundles.test.ts": 17,
  "test/conformance/plotting_glyphs.test.ts": 15,
  "test/browser/export.test.ts": 13,
  "test/conformance/plotting_figure.test.ts": 12,
  "test/interop/node_client.test.ts": 11,
  "test/unit/command/serve_dev.test.ts": 11,
  "test/browser/dev_reload.test.ts": 11,
  "test/unit/server/backpressure.test.ts": 18,
  "test/unit/fuzz/fuzz_short.test.ts": 10,
  "test/interop/data.test.ts": 9,
  "test/browser/click_then_tick.test.ts": 9,
  "test/interop/python_client.test.ts": 8,
  "test/conformance/plotting_layouts.test.ts": 8,
  "test/unit/command/standalone_cli.test.ts": 8,
  "test/unit/command/serve_drain.test.ts": 8,
  "test/interop/gallery.test.ts": 7,
  "test/browser/big_headers.test.ts": 7,
  "test/unit/bench/side_by_side.test.ts": 7,
  "test/conformance/python/python_reads_our_json.test.ts": 6,
  "test/unit/command/serve_processes.test.ts": 6,
}
const CHECK_SECONDS = { typecheck: 20, lint: 6 }
/** A process of its own costs this much more than a file in a pool (loading tsx and the model graph). */
const PROCESS_SECONDS = 3
const measured = load_durations()
const expected = (f) => measured[posix(f)] ?? EXPECTED_SECONDS[posix(f)] ?? Math.max(0.5, statSync(f).size / 4000)

// Most files wait on Chromium, Python or child servers part of the time: two jobs per core keep the cores busy.
const lanes = Math.max(1, Number(process.env.BOKEH_TEST_JOBS ?? 2 * availableParallelism()))
const tsx_test = (file_args) => [process.execPath, "--import", "tsx", ...file_args]
// Jobs that run test files (`tests`) also report each file's duration, for planning later runs.
const whole_suite = targets.length === 0
const fake_dom = files.filter((f) => !isolated(f) && reaches(f, FAKE_DOM))
const by_expected = (a, b) => expected(b) - expected(a)
const singles = [
  ...(checks
    ? ["typecheck", "lint"].map((script) => ({ name: `npm run ${script}`, command: ["npm", "run", "--silent", script], seconds: CHECK_SECONDS[script] }))
    : []),
  ...files.filter(isolated).map((f) => ({ name: posix(f), command: tsx_test([f]), tests: true, seconds: expected(f) + PROCESS_SECONDS })),
  ...(fake_dom.length > 0
    ? [
        {
          name: `pooled, BokehJS in Node (${fake_dom.length} files)`,
          command: tsx_test(["scripts/run_in_process.mjs", ...fake_dom.sort()]),
          tests: true,
          seconds: fake_dom.reduce((sum, f) => sum + expected(f), PROCESS_SECONDS),
        },
      ]
    : []),
].sort((a, b) => b.seconds - a.seconds)
// The other files form one queue, longest first, shared by the pool processes: a pool takes its next file
// over the IPC channel only once it has run the last (scripts/run_in_process.mjs --queue), so the pools end
// about together however long each file takes on this run (the expected seconds only set the order, in
// which a long file starts early rather than last). Each lane runs the jobs above, longest first, and then,
// while the queue holds enough work to be worth loading the model graph again, a pool.
const queue = files.filter((f) => !isolated(f) && !fake_dom.includes(f)).sort(by_expected)
const queue_seconds = () => queue.reduce((sum, f) => sum + expected(f), 0)
const MIN_POOL_SECONDS = 4 * PROCESS_SECONDS
let pools_started = 0
const pool_job = () => ({ name: `pool ${++pools_started}`, command: tsx_test(["scripts/run_in_process.mjs", "--queue"]), tests: true, queue: true })
if (show_plan) {
  for (const job of singles)
    console.log(`${job.seconds.toFixed(0).padStart(4)} s  ${job.name}  ${job.command.slice(job.command[0] === "npm" ? 0 : 3).join(" ")}`)
  console.log(`\nthen pools (up to ${lanes} at once) take from a queue of ${queue.length} files, ~${queue_seconds().toFixed(0)} s in all, in this order:`)
  for (const f of queue) console.log(`${expected(f).toFixed(1).padStart(6)} s  ${posix(f)}`)
  process.exit(0)
}

const TIME = "/usr/bin/time"
const CPU_TIME = process.env.BOKEH_TEST_CPU === "1" && existsSync(TIME)
const STUCK_MS = Number(process.env.BOKEH_TEST_STUCK_SECONDS ?? 300) * 1000
const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-test-"))
const cli = files.length > 0 ? await build_test_cli() : null
// The logs and the build go with the run, however it ends (Ctrl-C included).
/** The jobs' processes still running: their groups are not the terminal's, so Ctrl-C reaches them through us. */
const running = new Set()
process.once("exit", () => {
  for (const child of running) {
    try {
      if (process.platform !== "win32") process.kill(-child.pid, "SIGKILL")
      else child.kill("SIGKILL")
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true })
  if (cli !== null) rmSync(cli.dir, { recursive: true, force: true })
})
process.once("SIGINT", () => process.exit(130))
const env = { ...process.env, ...(cli !== null ? { BOKEH_TS_TEST_CLI: cli.bin, BOKEH_TS_TEST_BENCH_SERVERS: cli.bench_servers } : {}) }

function run(job, i) {
  const out = join(dir, `${i}.log`)
  const started = Date.now()
  return new Promise((resolve) => {
    const log = createWriteStream(out)
    // BOKEH_TEST_CPU=1: GNU time measures the job's CPU (its children's included) for the header line.
    const cpu_file = CPU_TIME ? `${out}.cpu` : null
    // Test processes also report each file's duration (scripts/test_durations.mjs).
    const reporters = job.tests
      ? ["--test-reporter=tap", "--test-reporter-destination=stdout", `--test-reporter=${DURATIONS_REPORTER}`, `--test-reporter-destination=${out}.durations`]
      : []
    const job_command = reporters.length > 0 ? [job.command[0], ...reporters, ...job.command.slice(1)] : job.command
    const [command, ...args] = cpu_file !== null ? [TIME, "-o", cpu_file, "-f", "%U %S", ...job_command] : job_command
    // Its own process group, so a stuck job is ended with what it started (servers, browsers, GNU time's child).
    const group = process.platform !== "win32"
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe", ...(job.queue ? ["ipc"] : [])], env, detached: group })
    running.add(child)
    // A pool asks for its next file when it is done with the last; it ends when told there is none.
    const taken = []
    if (job.queue) {
      child.on("message", () => {
        const file = queue.shift() ?? null
        if (file !== null) taken.push(posix(file))
        if (child.connected) child.send({ file })
      })
    }
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
      if (group) process.kill(-child.pid, "SIGKILL")
      else child.kill("SIGKILL")
    }, 5000)
    child.on("close", (code, signal) => {
      running.delete(child)
      clearInterval(watchdog)
      log.end(() => {
        const why = stuck ? `no output for ${STUCK_MS / 1000} s, killed` : (signal ?? `exit ${code}`)
        const took = ((Date.now() - started) / 1000).toFixed(1)
        const cpu = cpu_file !== null && existsSync(cpu_file) ? /([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(cpu_file, "utf8")) : null
        const cpu_text = cpu !== null ? ` (CPU ${cpu[1]} s user + ${cpu[2]} s sys)` : ""
        const name = job.queue ? `${job.name} (${taken.length} files)` : job.name
        process.stdout.write(`\n# ===== ${name}: ${code === 0 && !stuck ? "passed" : `FAILED (${why})`} in ${took} s${cpu_text}\n`)
        process.stdout.write(readFileSync(out))
        resolve({ name, passed: code === 0 && !stuck, durations: job.tests ? `${out}.durations` : null })
      })
    })
  })
}

// Each lane takes the next job as it finishes its last (the longest first), then pools while the queue
// holds enough work for one more (the pools already running take their share of what is left).
const results = []
let next_single = 0
let pools_running = 0
let job_count = 0
async function lane() {
  for (;;) {
    let job
    if (next_single < singles.length) job = singles[next_single++]
    else if (queue.length > 0 && (pools_running === 0 || queue_seconds() / (pools_running + 1) >= MIN_POOL_SECONDS)) {
      job = pool_job()
      pools_running += 1
    } else return
    const result = await run(job, job_count++)
    if (job.queue) pools_running -= 1
    results.push(result)
  }
}
await Promise.all(Array.from({ length: lanes }, lane))
const failed = results.filter((r) => !r.passed).map((r) => r.name)
if (whole_suite && failed.length === 0) save_durations(results.flatMap((r) => (r.durations !== null ? [r.durations] : [])))
console.log(failed.length === 0 ? `\n# all ${results.length} test jobs passed` : `\n# FAILED jobs: ${failed.join("; ")}`)
process.exit(failed.length === 0 ? 0 : 1)
