// Runs test files one after another in this one process, so they share a single load of the model graph.
// Used by scripts/test.mjs for files that need no process of their own, in one of two ways:
//   node run_in_process.mjs FILE...      the files given, in that order
//   node run_in_process.mjs --queue      each file asked of the runner over the IPC channel once the
//                                        previous file's tests are done, so that the processes sharing a
//                                        queue end together whatever each file takes on this run
//
// node:test runs a process's top-level tests one at a time, in the order they were registered, starting
// the first as soon as the event loop turns. A file's top-level code (a `set_log_level("none")`, an
// `await` of a fixture) must not run in the middle of another file's test, so a file is only imported
// inside a step of its own: a top-level test ("takes the next test file") that runs once every test
// registered before it is done, imports the file (whose tests queue behind the step), and registers the
// step for the file after it, which so runs once this file's tests are done.
import { AsyncResource } from "node:async_hooks"
import { resolve } from "node:path"
import { test } from "node:test"
import { pathToFileURL } from "node:url"

const STEP = "takes the next test file"
// node:test makes a test registered while a test runs that test's subtest (it follows the async context):
// files are imported, and the next step registered, in the context of this module's top level instead.
const top_level = new AsyncResource("test-file-loader")
const args = process.argv.slice(2)

/** The next file to run, or null when there is none. */
const next_file =
  args[0] === "--queue"
    ? () =>
        new Promise((answer) => {
          // The runner answers each {next: true} with {file: "…"}, or {file: null} once its queue is empty.
          process.once("message", (message) => answer(message.file))
          process.send({ next: true })
        })
    : () => Promise.resolve(args.shift() ?? null)

// Once its last file's tests are done, a pool ends when its event loop is empty (node:test then runs the
// root-level `after` hooks and prints the summary). One that is still running this long after holds
// something open (a server, a child process, a socket) or hangs in such a hook: it says what, and fails,
// rather than waiting for the runner's watchdog to kill it without a word.
const LINGER_MS = Number(process.env.BOKEH_TEST_LINGER_SECONDS ?? 120) * 1000

/** What keeps the event loop alive: each handle with what it is connected to. */
function open_handles() {
  return process._getActiveHandles().map((handle) => {
    const kind = handle?.constructor?.name ?? typeof handle
    if (Array.isArray(handle?.spawnargs)) return `${kind} (pid ${handle.pid}: ${handle.spawnargs.join(" ").slice(0, 200)})`
    if (typeof handle?.address === "function") {
      const local = handle.address()
      if (local !== null && typeof local === "object" && local.port === undefined) return `${kind} (pipe, fd ${handle._handle?.fd ?? "?"})`
      const remote = handle.remotePort !== undefined ? ` -> ${handle.remoteAddress}:${handle.remotePort}` : ""
      return `${kind} (${local !== null && typeof local === "object" ? `${local.address}:${local.port}` : (local ?? "?")}${remote})`
    }
    return kind
  })
}

function fail_if_lingering() {
  setTimeout(() => {
    process.stderr.write(
      `# test pool (pid ${process.pid}) still running ${LINGER_MS / 1000} s after its last test; open handles: ${open_handles().join("; ")}; ` +
        `resources: ${process.getActiveResourcesInfo().join(", ")}\n`,
    )
    process.exit(1)
  }, LINGER_MS).unref()
}

async function take(t) {
  const file = await next_file()
  if (file === null) {
    if (process.connected) process.disconnect()
    fail_if_lingering()
    return
  }
  t.diagnostic(file)
  await top_level.runInAsyncScope(async () => {
    try {
      await import(pathToFileURL(resolve(file)).href)
    } finally {
      // A file that fails to import fails this step; the files after it still run.
      test(STEP, take)
    }
  })
}

test(STEP, take)
