// Finds a Python with Bokeh >= 3.9 for the interop tests: $BOKEH_PYTHON, else the repo's .venv-bokeh, else python3.
// Plain JavaScript so scripts/test.mjs (run by plain node) and the TypeScript tests share it.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..")
const MIN = [3, 9]
const PROBE = "import json, bokeh, tornado, numpy; print(json.dumps({'bokeh': bokeh.__version__, 'tornado': tornado.version, 'numpy': numpy.__version__}))"

/** The candidates in order, each with where it came from (for the skip message). */
function candidates() {
  const out = []
  const env = process.env.BOKEH_PYTHON
  if (env !== undefined && env !== "") return [{ python: env, from: "BOKEH_PYTHON" }]
  const venv = join(ROOT, ".venv-bokeh", "bin", "python")
  if (existsSync(venv)) out.push({ python: venv, from: ".venv-bokeh" })
  out.push({ python: "python3", from: "python3 on PATH" })
  return out
}

function version_ok(version) {
  const [major, minor] = version.split(".").map((s) => Number.parseInt(s, 10))
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1])
}

let cached

/**
 * `{ ok: true, python, versions }` for the first candidate that imports bokeh >= 3.9, tornado and numpy,
 * else `{ ok: false, reason }` naming what was tried and why each failed.
 */
export function find_python() {
  if (cached !== undefined) return cached
  const tried = []
  for (const { python, from } of candidates()) {
    const r = spawnSync(python, ["-c", PROBE], { encoding: "utf8", timeout: 30_000 })
    if (r.error !== undefined) {
      tried.push(`${from} (${python}): ${r.error.code === "ENOENT" ? "not found" : r.error.message}`)
      continue
    }
    if (r.status !== 0) {
      const last = (r.stderr ?? "").trim().split("\n").at(-1) ?? `exit ${r.status}`
      tried.push(`${from} (${python}): ${last}`)
      continue
    }
    const versions = JSON.parse(r.stdout.trim().split("\n").at(-1))
    if (!version_ok(versions.bokeh)) {
      tried.push(`${from} (${python}): bokeh ${versions.bokeh} < ${MIN.join(".")}`)
      continue
    }
    cached = { ok: true, python, versions }
    return cached
  }
  cached = { ok: false, reason: `no Python with Bokeh >= ${MIN.join(".")} (tried ${tried.join("; ")}); pip install bokeh or set BOKEH_PYTHON` }
  return cached
}
