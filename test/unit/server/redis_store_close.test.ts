/**
 * A Redis session store closed while it connects leaves nothing behind that keeps the process alive: a
 * server stopping during its start (a failed bind, a SIGTERM) must exit, not keep a client reconnecting for
 * ever. The property is the process ending by itself, so each case runs in a child process. No Redis is
 * needed: the store points at a port where nothing listens.
 */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

const STORE = fileURLToPath(new URL("../../../src/server/session_store/redis_store.ts", import.meta.url))

/** Runs `body` (with `store` in scope) in a child process, killed if the test ends first; resolves when it exits. */
function run_child(body: string, signal: AbortSignal): Promise<{ code: number | null; output: string }> {
  const script = `import { RedisSessionStore } from ${JSON.stringify(STORE)}
const store = new RedisSessionStore("redis://127.0.0.1:9/0")
${body}
`
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"], signal })
  child.on("error", () => {}) // the abort, reported by the test's own failure
  let output = ""
  child.stdout.on("data", (d: Buffer) => (output += d.toString()))
  child.stderr.on("data", (d: Buffer) => (output += d.toString()))
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, output })))
}

// On failure these hang until the timeout: the child never exits.
describe("RedisSessionStore.close() during connect()", { timeout: 120_000 }, () => {
  it("before connect() has loaded ioredis: the process ends", async (t) => {
    const { code, output } = await run_child("const connecting = store.connect()\nawait store.close()\nawait connecting", t.signal)
    assert.equal(code, 0, output)
  })

  it("once the first attempt failed and the client is retrying: the process ends", async (t) => {
    const { code, output } = await run_child("await store.connect()\nawait store.close()", t.signal)
    assert.equal(code, 0, output)
  })
})
