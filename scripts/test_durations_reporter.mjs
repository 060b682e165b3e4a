// A node:test reporter that writes one JSON line per top-level test, {file, ms}: how long each test file's
// tests took in this run, for scripts/test_durations.mjs to plan the next run from.
import { fileURLToPath } from "node:url"

export default async function* durations(source) {
  for await (const event of source) {
    if ((event.type === "test:pass" || event.type === "test:fail") && event.data.nesting === 0 && event.data.file !== undefined) {
      const file = event.data.file.startsWith("file:") ? fileURLToPath(event.data.file) : event.data.file
      // A pool's own steps (scripts/run_in_process.mjs importing the next file) are not a test file's.
      if (!file.endsWith(".test.ts")) continue
      yield `${JSON.stringify({ file, ms: event.data.details.duration_ms })}\n`
    }
  }
}
