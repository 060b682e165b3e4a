/**
 * `bokeh-ts serve` as a real process drains on SIGTERM: its websockets close with 1001 (BokehJS
 * reconnects on it) and the process exits 0, alone and as a --num-procs primary forwarding the signal.
 */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { RawClient } from "../server/helpers.ts"
import { BOKEH_TS_CLI } from "../../support/cli.ts"

const root = fileURLToPath(new URL("../../../", import.meta.url))

/** Starts `bokeh-ts serve pid_app.ts` with `extra` options; resolves with its app URL once `workers` processes listen. */
async function serve(extra: string[], workers: number) {
  const child = spawn(
    process.execPath,
    [BOKEH_TS_CLI, "serve", "test/fixtures/apps/pid_app.ts", "--port", "0", "--address", "127.0.0.1", "--health", ...extra],
    { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
  )
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  let log = ""
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      log += chunk
      const found = [...log.matchAll(/Bokeh app running at: (http:\/\/\S+)/g)]
      if (found.length >= workers) resolve(found[0]![1]!)
    })
    void exited.then(() => reject(new Error(`the server exited before listening:\n${log}`)))
  })
  return { child, exited, url, base: url.replace(/\/pid_app$/, "") }
}

describe("bokeh-ts serve drains on SIGTERM", () => {
  it("closes websockets with 1001 and exits 0", async () => {
    const { child, exited, base } = await serve([], 1)
    try {
      const client = await RawClient.connect(base, "/pid_app")
      await client.ack()
      assert.equal((await fetch(`${base}/readiness`)).status, 200)
      child.kill("SIGTERM")
      assert.deepEqual(await client.closed, { code: 1001, reason: "server is draining: reconnect" })
      assert.equal(await exited, 0)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  })

  it("with --num-procs 2, the primary forwards SIGTERM: workers drain, everything exits 0", async () => {
    const { child, exited, base } = await serve(["--num-procs", "2"], 2)
    try {
      const clients = await Promise.all([0, 1, 2, 3].map(() => RawClient.connect(base, "/pid_app")))
      await Promise.all(clients.map((c) => c.ack()))
      child.kill("SIGTERM")
      for (const c of clients) assert.deepEqual(await c.closed, { code: 1001, reason: "server is draining: reconnect" })
      assert.equal(await exited, 0)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  })
})
