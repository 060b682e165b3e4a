// How long each test file took in earlier full runs on this machine, kept in node_modules/.cache so the
// runner deals files to lanes by what they really take here (a file's wall time depends on the machine
// and on what runs beside it; a fixed table guesses). The table in scripts/test.mjs is the fallback for a
// fresh checkout. Only whole-suite runs update it: a run of a few files would measure them alone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative, sep } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const STORE = join(root, "node_modules", ".cache", "bokeh-ts-test-durations.json")
export const DURATIONS_REPORTER = fileURLToPath(new URL("test_durations_reporter.mjs", import.meta.url))

/** Seconds per test file (posix path relative to the checkout) from earlier runs; empty when none. */
export function load_durations() {
  try {
    return existsSync(STORE) ? JSON.parse(readFileSync(STORE, "utf8")) : {}
  } catch {
    return {}
  }
}

/**
 * Adds the reporter's lines (files `outputs`) to the store: a file's seconds are the sum of its top-level
 * tests, averaged with the stored figure so one unusually loaded run does not swing the plan.
 */
export function save_durations(outputs) {
  const measured = {}
  for (const output of outputs) {
    if (!existsSync(output)) continue
    for (const line of readFileSync(output, "utf8").split("\n")) {
      if (line === "") continue
      const { file, ms } = JSON.parse(line)
      const key = relative(root, file).split(sep).join("/")
      measured[key] = (measured[key] ?? 0) + ms / 1000
    }
  }
  const stored = load_durations()
  for (const [file, seconds] of Object.entries(measured)) stored[file] = stored[file] === undefined ? seconds : (stored[file] + seconds) / 2
  mkdirSync(dirname(STORE), { recursive: true })
  const sorted = Object.fromEntries(
    Object.entries(stored)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([f, s]) => [f, Math.round(s * 10) / 10]),
  )
  writeFileSync(STORE, `${JSON.stringify(sorted, null, 1)}\n`)
}
