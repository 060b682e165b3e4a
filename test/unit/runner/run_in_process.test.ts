/**
 * The test runner's pools (scripts/run_in_process.mjs --queue): a pool asks for its next file only once
 * the last file's tests are done, never runs a file's top-level code during another file's test, goes on
 * past a file that fails to import, fails when any test fails, and ends when told the queue is empty.
 * Fixture files report over the same IPC channel as the pool's requests, so the order seen here is the
 * order things happened in the pool.
 */
import assert from "node:assert/strict"
import { fork, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

const POOL = fileURLToPath(new URL("../../../scripts/run_in_process.mjs", import.meta.url))

/** The pool as the runner starts it: TAP on stdout, none of this process's node:test settings. */
function start_pool(args: string[], linger_seconds = 120): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, BOKEH_TEST_LINGER_SECONDS: String(linger_seconds) }
  delete env["NODE_TEST_CONTEXT"]
  return fork(POOL, args, { stdio: ["ignore", "pipe", "pipe", "ipc"], env, execArgv: ["--test-reporter=tap"] })
}

const FIXTURES = {
  "a.test.mjs": `import { test } from "node:test"
process.send({ log: "a: top" })
await new Promise((r) => setTimeout(r, 10))
test("a1", async () => {
  process.send({ log: "a1 start" })
  await new Promise((r) => setTimeout(r, 10))
  process.send({ log: "a1 end" })
})
test("a2", () => process.send({ log: "a2" }))
`,
  "broken.test.mjs": `process.send({ log: "broken: top" })
throw new Error("broken at import")
`,
  "b.test.mjs": `import { test } from "node:test"
process.send({ log: "b: top" })
test("b1 fails", () => {
  process.send({ log: "b1" })
  throw new Error("b1 fails")
})
`,
  "leaks.test.mjs": `import { test } from "node:test"
import { createServer } from "node:net"
test("leaves a server listening", async () => {
  const server = createServer()
  await new Promise((r) => server.listen(0, "127.0.0.1", r))
  process.send({ log: \`listening on \${server.address().port}\` })
})
`,
  "c.test.mjs": `import { test } from "node:test"
process.send({ log: "c: top" })
test("c1", () => process.send({ log: "c1" }))
`,
}

describe("a test pool fed from the runner's queue", () => {
  const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-pool-"))
  for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), text)
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("takes each file when done with the last, in order, past a broken file, and fails for a failed test", async () => {
    const queue = ["a.test.mjs", "broken.test.mjs", "b.test.mjs", "c.test.mjs"].map((f) => join(dir, f))
    const seen: string[] = []
    const pool = start_pool(["--queue"])
    let output = ""
    pool.stdout!.on("data", (d: Buffer) => (output += d.toString()))
    pool.stderr!.on("data", (d: Buffer) => (output += d.toString()))
    pool.on("message", (message: { next?: boolean; log?: string }) => {
      if (message.log !== undefined) {
        seen.push(message.log)
        return
      }
      const file = queue.shift() ?? null
      seen.push(`asked -> ${file === null ? "none" : file.slice(dir.length + 1)}`)
      pool.send({ file })
    })
    const code = await new Promise<number | null>((resolve) => pool.once("exit", resolve))
    assert.deepEqual(seen, [
      "asked -> a.test.mjs",
      "a: top",
      "a1 start",
      "a1 end",
      "a2",
      "asked -> broken.test.mjs",
      "broken: top",
      "asked -> b.test.mjs",
      "b: top",
      "b1",
      "asked -> c.test.mjs",
      "c: top",
      "c1",
      "asked -> none",
    ])
    assert.equal(code, 1, output)
    assert.match(output, /broken at import/)
    assert.match(output, /not ok \d+ - b1 fails/)
    assert.match(output, /ok \d+ - c1/)
  })

  it("runs the files given on its command line one after another, and passes when they pass", async () => {
    const pool = start_pool([join(dir, "c.test.mjs"), join(dir, "a.test.mjs")])
    const seen: string[] = []
    pool.on("message", (message: { log: string }) => seen.push(message.log))
    const code = await new Promise<number | null>((resolve) => pool.once("exit", resolve))
    assert.deepEqual(seen, ["c: top", "c1", "a: top", "a1 start", "a1 end", "a2"])
    assert.equal(code, 0)
  })

  it("fails, naming what is still open, when a file leaves something that keeps the process alive", async () => {
    const pool = start_pool([join(dir, "leaks.test.mjs")], 1)
    let port = ""
    pool.on("message", (message: { log: string }) => (port = message.log.replace("listening on ", "")))
    let stderr = ""
    pool.stderr!.on("data", (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((resolve) => pool.once("exit", resolve))
    assert.equal(code, 1)
    assert.match(stderr, new RegExp(`still running 1 s after its last test; open handles: .*Server \\(127\\.0\\.0\\.1:${port}\\)`))
  })
})
