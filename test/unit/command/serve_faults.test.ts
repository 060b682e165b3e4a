/**
 * `bokeh-ts serve` as a real process survives its apps: an async on_change that throws, a click
 * handler that leaves a rejecting promise behind (and a throwing timer), and a periodic callback that throws are each
 * logged with the session id and the app's file and line; the process stays up, the same session
 * keeps working, and a second app on the same server never notices.
 */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { RawClient, model_named } from "../server/helpers.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { generate_session_id } from "../../../src/util/token.ts"
import { BOKEH_TS_CLI } from "../../support/cli.ts"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const APP = "test/fixtures/apps/faulty_app.ts"

/** The 1-based line of the `// FAULT:<name>` marker in the app. */
function fault_line(name: string): number {
  const lines = readFileSync(`${root}${APP}`, "utf8").split("\n")
  const i = lines.findIndex((l) => l.includes(`// FAULT:${name}`))
  assert.ok(i >= 0, `marker FAULT:${name}`)
  return i + 1
}

const text_change = (m: AnyMessage, id: string): string | null => {
  if (m.header.msgtype !== "PATCH-DOC") return null
  const e = (m.content as { events: Array<Record<string, unknown>> }).events.find(
    (e) => e["kind"] === "ModelChanged" && (e["model"] as { id: string }).id === id && e["attr"] === "text",
  )
  return (e?.["new"] as string | undefined) ?? null
}

describe("bokeh-ts serve survives failing app code", () => {
  it("logs each failure with session, file and line; the server, the session and another app keep working", async () => {
    const child = spawn(process.execPath, [BOKEH_TS_CLI, "serve", APP, "test/fixtures/apps/pid_app.ts", "--port", "0", "--address", "127.0.0.1"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    })
    let log = ""
    const waiters = new Set<() => void>()
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      log += chunk
      for (const w of waiters) w()
    })
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    /** Resolves with the first match of `re` in the server's log (waiting on new output, not on time). */
    const log_match = async (re: RegExp, what: string): Promise<RegExpMatchArray> => {
      const deadline = Date.now() + 20000
      for (;;) {
        const m = re.exec(log)
        if (m !== null) return m
        if (child.exitCode !== null) assert.fail(`the server exited (${child.exitCode}) before logging ${what}:\n${log}`)
        if (Date.now() > deadline) assert.fail(`the server never logged ${what}:\n${log}`)
        await new Promise<void>((resolve) => {
          const done = () => {
            waiters.delete(done)
            clearTimeout(timer)
            resolve()
          }
          // The timer only bounds a wait for a line that never comes; progress is driven by output.
          const timer = setTimeout(done, 1000)
          waiters.add(done)
        })
      }
    }
    try {
      const base = (await log_match(/Bokeh app running at: (http:\/\/127\.0\.0\.1:\d+)\/faulty_app/, "the app URL"))[1]!
      const session_id = generate_session_id()
      const c = await RawClient.connect(base, "/faulty_app", { session_id })
      await c.ack()
      const doc = ((await c.request("PULL-DOC-REQ", {})).content as { doc: unknown }).doc
      const [slider, echo, button, clicks, ticks] = ["slider", "echo", "button", "clicks", "ticks"].map((n) => model_named(doc, n))

      // 1. An async on_change that throws: its change before the throw still arrives, the reply is
      //    ERROR (as Python answers a failing callback), the log names the session, file and line.
      const set13 = await c.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: slider, attr: "value", new: 13 }] })
      assert.equal(set13.header.msgtype, "ERROR")
      assert.match((set13.content as { text: string }).text, /async on_change failed/)
      assert.ok(c.messages.some((m) => text_change(m, echo!.id) === "value: 13"))
      const on_change = await log_match(
        new RegExp(
          `error handling message PATCH-DOC in session '${session_id}': on_change\\('value'\\) callback .*Error\\("async on_change failed"\\)\\n(?:.*\\n)*?.*faulty_app\\.ts:(\\d+)`,
        ),
        "the on_change failure",
      )
      assert.equal(Number(on_change[1]), fault_line("on_change"))

      // 2. A click whose handler leaves a rejecting promise behind: the handler's own change
      //    arrives, the rejection is logged at the process level with this session's id.
      const click = {
        kind: "MessageSent",
        msg_type: "bokeh_event",
        msg_data: { type: "event", name: "button_click", values: { type: "map", entries: [["model", button]] } },
      }
      assert.equal((await c.request("PATCH-DOC", { events: [click] })).header.msgtype, "OK")
      assert.ok(c.messages.some((m) => text_change(m, clicks!.id) === "clicks: 1"))
      const rejection = await log_match(
        new RegExp(`in session '${session_id}': unhandled promise rejection: Error\\("fire-and-forget fetch failed"\\)\\n(?:.*\\n)*?.*faulty_app\\.ts:(\\d+)`),
        "the unhandled rejection",
      )
      assert.equal(Number(rejection[1]), fault_line("click"))

      // 2b. The second click also throws from a timer it started: an uncaught exception, same session.
      assert.equal((await c.request("PATCH-DOC", { events: [click] })).header.msgtype, "OK")
      const uncaught = await log_match(
        new RegExp(`in session '${session_id}': uncaught exception: Error\\("timer callback failed"\\)\\n(?:.*\\n)*?.*faulty_app\\.ts:(\\d+)`),
        "the uncaught exception",
      )
      assert.equal(Number(uncaught[1]), fault_line("timer"))

      // 3. The periodic callback throws every other tick and keeps running.
      const periodic = await log_match(
        new RegExp(
          `error running callback in session '${session_id}': periodic callback .*Error\\("periodic callback failed at tick \\d+"\\)\\n(?:.*\\n)*?.*faulty_app\\.ts:(\\d+)`,
        ),
        "the periodic failure",
      )
      assert.equal(Number(periodic[1]), fault_line("periodic"))

      // The same session keeps working: a good change runs its callback, ticks keep coming.
      const ok = await c.request("PATCH-DOC", { events: [{ kind: "ModelChanged", model: slider, attr: "value", new: 42 }] })
      assert.equal(ok.header.msgtype, "OK")
      assert.ok(c.messages.some((m) => text_change(m, echo!.id) === "value: 42"))
      const from = c.messages.length
      await c.wait_for(() => c.messages.slice(from).filter((m) => text_change(m, ticks!.id) !== null).length >= 3)

      // A second app on the same server, and a second session of this one, work as if nothing happened.
      const other = await RawClient.connect(base, "/pid_app")
      await other.ack()
      const pid_doc = ((await other.request("PULL-DOC-REQ", {})).content as { doc: unknown }).doc
      assert.match(JSON.stringify(pid_doc), new RegExp(`"text":"${child.pid}"`))
      const second = await RawClient.connect(base, "/faulty_app")
      await second.ack()
      assert.equal((await second.request("PULL-DOC-REQ", {})).header.msgtype, "PULL-DOC-REPLY")
      other.close()
      second.close()
      c.close()

      assert.equal(child.exitCode, null, "the server is still running")
      assert.doesNotMatch(log, /outside any session/, "every failure was attributed to its session")
      child.kill("SIGTERM")
      assert.equal(await exited, 0)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  })
})
