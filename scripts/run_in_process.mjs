// Imports test files one after another into this one process, so they share a single load of the
// model graph; node:test runs the tests they register in import order and sets the exit code.
// Used by scripts/test.mjs for files that need no process of their own.
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"

for (const file of process.argv.slice(2)) await import(pathToFileURL(resolve(file)).href)
