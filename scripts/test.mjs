#!/usr/bin/env node
// Runs the test suite: every test/**/*.test.ts through node:test with tsx (Node 20 has no --test globs).
// Usage: node scripts/test.mjs [folder-or-file ...]   (default: test/)
//
// Loading the model graph through tsx costs a few seconds of CPU per process, so one process per test
// file spent most of the suite's time on loading. Files that only use in-process state share processes
// ("pooled", see scripts/run_in_process.mjs); files that drive Chromium, Python or whole server processes,
// or that register root-level hooks (which would apply to every file of a shared process), keep one process
// each ("isolated"). The pools and the isolated files run side by side, one job per core; each job's
// TAP output is printed whole when it ends, so the log reads as if they had run one after another.
import { spawn } from "node:child_process"
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { dirname, join, sep } from "node:path"

import { find_python } from "../test/interop/find_python.mjs"

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out)
  } else if (path.endsWith(".test.ts")) out.push(path)
  return out
}

const posix = (f) => f.split(sep).join("/")
const targets = process.argv.slice(2)
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
    if (files.length === 0) process.exit(0)
  }
}
if (files.length === 0) {
  console.error("no test files found")
  process.exit(1)
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

const jobs_max = Math.max(1, Number(process.env.BOKEH_TEST_JOBS ?? availableParallelism()))
const alone = files.filter(isolated)
const pooled = files.filter((f) => !isolated(f))
// The isolated files run in one job, the pooled ones in the remaining jobs, dealt round-robin by size.
const pool_count = alone.length > 0 ? Math.max(1, jobs_max - 1) : jobs_max
const pools = Array.from({ length: Math.min(pool_count, pooled.length) }, () => [])
const by_size = [...pooled].sort((a, b) => statSync(b).size - statSync(a).size)
by_size.forEach((f, i) => pools[i % pools.length].push(f))

const jobs = pools.map((pool, i) => ({
  name: `pooled ${i + 1}/${pools.length} (${pool.length} files)`,
  args: ["--import", "tsx", "scripts/run_in_process.mjs", ...pool.sort()],
}))
if (alone.length > 0) {
  jobs.push({ name: `isolated (${alone.length} files)`, args: ["--import", "tsx", "--test", "--test-concurrency=1", ...alone] })
}

const STUCK_MS = Number(process.env.BOKEH_TEST_STUCK_SECONDS ?? 300) * 1000
const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-test-"))
function run(job, i) {
  const out = join(dir, `${i}.log`)
  return new Promise((resolve) => {
    const log = createWriteStream(out)
    const child = spawn(process.execPath, job.args, { stdio: ["ignore", "pipe", "pipe"] })
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
        process.stdout.write(`\n# ===== ${job.name}: ${code === 0 && !stuck ? "passed" : `FAILED (${why})`}\n`)
        process.stdout.write(readFileSync(out))
        resolve(code === 0)
      })
    })
  })
}

const results = await Promise.all(jobs.map(run))
rmSync(dir, { recursive: true, force: true })
const failed = jobs.filter((_, i) => !results[i]).map((j) => j.name)
console.log(failed.length === 0 ? "\n# all test jobs passed" : `\n# FAILED jobs: ${failed.join("; ")}`)
process.exit(failed.length === 0 ? 0 : 1)
