// Imports test files one after another into this one process, so they share a single load of the
// model graph; node:test runs the tests they register in import order and sets the exit code.
// Used by scripts/test.mjs for files that need no process of their own.
//
// node:test starts running the first file's tests as soon as the event loop turns, which an import does;
// a later file's top-level code (a `set_log_level("none")`, say) would then run in the middle of an earlier
// file's test. So no test starts until every file is imported.
import { resolve } from "node:path"
import { before } from "node:test"
import { pathToFileURL } from "node:url"

let all_imported
const imported = new Promise((done) => (all_imported = done))
before(() => imported)
try {
  for (const file of process.argv.slice(2)) await import(pathToFileURL(resolve(file)).href)
} finally {
  all_imported()
}
