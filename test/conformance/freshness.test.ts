/** The generated models must match the pinned BokehJS: `gen-models.ts --check` exits 0. */
import { test } from "node:test"
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"

test("generated models are fresh (scripts/gen-models.ts --check)", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/gen-models.ts", "--check"], { encoding: "utf8" })
  assert.equal(r.status, 0, `generated files are stale:\n${r.stderr}${r.stdout}`)
})
