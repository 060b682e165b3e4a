#!/usr/bin/env node
// Runs the test suite: every test/**/*.test.ts through node:test with tsx (Node 20 has no --test globs).
// Usage: node scripts/test.mjs [folder-or-file ...]   (default: test/)
import { spawnSync } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out)
  } else if (path.endsWith(".test.ts")) out.push(path)
  return out
}

const targets = process.argv.slice(2)
const files = (targets.length > 0 ? targets : ["test"]).flatMap((t) => collect(t, []))
if (files.length === 0) {
  console.error("no test files found")
  process.exit(1)
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], { stdio: "inherit" })
process.exit(result.status ?? 1)
