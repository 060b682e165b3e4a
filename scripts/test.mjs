#!/usr/bin/env node
// Runs the test suite: every test/**/*.test.ts through node:test with tsx (Node 20 has no --test globs).
// Usage: node scripts/test.mjs [folder-or-file ...]   (default: test/)
import { spawnSync } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { join, sep } from "node:path"

import { find_python } from "../test/interop/find_python.mjs"

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out)
  } else if (path.endsWith(".test.ts")) out.push(path)
  return out
}

const targets = process.argv.slice(2)
let files = (targets.length > 0 ? targets : ["test"]).flatMap((t) => collect(t, []))
// The interop tests need a real Python Bokeh; without one they are skipped with one line, not failed.
const interop = files.filter((f) => f.split(sep).join("/").includes("test/interop/"))
if (interop.length > 0) {
  const found = find_python()
  if (!found.ok) {
    console.log(`interop tests skipped (${interop.length} files): ${found.reason}`)
    files = files.filter((f) => !interop.includes(f))
    if (files.length === 0) process.exit(0)
  }
}
if (files.length === 0) {
  console.error("no test files found")
  process.exit(1)
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], { stdio: "inherit" })
process.exit(result.status ?? 1)
