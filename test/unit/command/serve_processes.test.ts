/**
 * `bokeh-ts serve` as a real process: --num-procs workers sharing one port (sessions spread over
 * them, none in the primary), --log-file and --log-format, and shutdown taking the workers along.
 */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { pull_session } from "../../../src/client/session.ts"
import "../../../src/models/main.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { BOKEH_TS_CLI } from "../../support/cli.ts"

const root = fileURLToPath(new URL("../../../", import.meta.url))

async function until<T>(what: string, fn: () => T | undefined, timeout_ms = 30000): Promise<T> {
  const deadline = Date.now() + timeout_ms
  for (;;) {
    const v = fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("bokeh-ts serve processes", () => {
  it("--num-procs 2 spreads sessions over two workers; --log-file/--log-format shape the log", async () => {
    set_log_level("none")
    const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-procs-"))
    const log_file = join(dir, "server.log")
    const child = spawn(
      process.execPath,
      [
        BOKEH_TS_CLI,
        "serve",
        "test/fixtures/apps/pid_app.ts",
        "--num-procs",
        "2",
        "--port",
        "0",
        "--address",
        "127.0.0.1",
        "--log-file",
        log_file,
        "--log-format",
        "%(levelname)s [%(process)d] %(message)s",
      ],
      { cwd: root, stdio: "ignore" },
    )
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    try {
      const read = () => {
        try {
          return readFileSync(log_file, "utf8")
        } catch {
          return ""
        }
      }
      const urls = await until("two workers to listen", () => {
        const found = [...read().matchAll(/^INFO \[(\d+)\] Bokeh app running at: (http:\/\/\S+)$/gm)]
        return found.length >= 2 ? found : undefined
      })
      const url = urls[0]![2]!
      assert.equal(urls[1]![2], url, "the workers share one port")
      const worker_pids = new Set(urls.map((m) => Number(m[1])))
      assert.equal(worker_pids.size, 2)
      assert.ok(!worker_pids.has(child.pid!), "the primary serves nothing itself")
      assert.match(read(), new RegExp(`^INFO \\[${child.pid}\\] Starting 2 worker processes`, "m"))

      const served = new Set<number>()
      for (let i = 0; i < 8; i++) {
        const session = await pull_session({ url })
        served.add(Number((session.document!.roots[0] as unknown as { text: string }).text))
        await session.close()
      }
      assert.deepEqual([...served].sort(), [...worker_pids].sort(), "sessions were created in both workers")

      child.kill("SIGTERM")
      assert.equal(await exited, 0)
      await until("workers to exit", () => ([...worker_pids].some(alive) ? undefined : true), 10000)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
