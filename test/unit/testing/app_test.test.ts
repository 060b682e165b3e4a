/**
 * AppTest itself: the request the app sees, what the browser receives (echo rules), UI events, the manual
 * clock (timeouts, next-tick callbacks, run_until_idle), and failures reported with the app's file and
 * line, never swallowed.
 */
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { after, describe, it } from "node:test"

import type { SessionContext } from "../../../src/application/contexts.ts"
import { MenuItemClick, Tap, type EventValues } from "../../../src/core/bokeh_events.ts"
import type { Document } from "../../../src/document/document.ts"
import { Button, Div, Dropdown, Plot, Slider } from "../../../src/models/main.ts"
import { AppCallbackError, AppTest } from "../../../src/testing/index.ts"
import { set_log_level } from "../../../src/util/logging.ts"

set_log_level((process.env["BOKEH_TEST_LOG"] as "info" | undefined) ?? "none")

const FAULTY = resolve("test/fixtures/apps/faulty_app.ts")
/** The line of `// FAULT:<tag>` in the faulty fixture app. */
function fault_line(tag: string): number {
  return (
    readFileSync(FAULTY, "utf8")
      .split("\n")
      .findIndex((l) => l.includes(`// FAULT:${tag}`)) + 1
  )
}

const temp = mkdtempSync(join(tmpdir(), "bokeh-ts-apptest-"))
after(() => rmSync(temp, { recursive: true, force: true }))

describe("AppTest", () => {
  it("the app sees the request's arguments, headers and cookies", async () => {
    let seen: { args: Record<string, string[]>; agent?: string; cookie?: string } | null = null
    await using at = await AppTest.from_function(
      (doc: Document) => {
        const request = (doc.session_context as SessionContext).request
        seen = {
          args: Object.fromEntries(Object.entries(request.arguments).map(([k, vs]) => [k, vs.map((v) => v.toString())])),
          agent: request.headers["User-Agent"],
          cookie: request.cookies["flavour"],
        }
        doc.add_root(new Div({ text: "hi" }))
      },
      { arguments: { N: "10", tag: ["a", "b c"] }, headers: { "User-Agent": "apptest" }, cookies: { flavour: "oat" } },
    )
    assert.deepEqual(seen, { args: { N: ["10"], tag: ["a", "b c"] }, agent: "apptest", cookie: "oat" })
    assert.equal(at.document.roots.length, 1)
  })

  it("set() is a browser's PATCH-DOC: on_change runs on the server, and the browser gets the reaction but not its own change back", async () => {
    await using at = await AppTest.from_function((doc: Document) => {
      const slider = new Slider({ name: "slider", start: 0, end: 10, value: 1 })
      const out = new Div({ name: "out", text: "" })
      slider.on_change("value", async (_a, old, v) => {
        await new Promise((r) => setImmediate(r)) // an async callback: awaited before the step returns
        out.text = `${String(old)} -> ${String(v)}`
      })
      doc.add_root(slider)
      doc.add_root(out)
    })
    const mark = at.mark()
    await at.set("slider", { value: 4 })
    assert.equal(at.get<Div>("out").text, "1 -> 4")
    assert.deepEqual(at.changes(mark), [{ kind: "ModelChanged", model: "out", attr: "text" }])
    assert.deepEqual(
      at.messages.slice(mark).map((m) => m.header.msgtype),
      ["PATCH-DOC", "OK", "SERVER-INFO-REPLY"],
    )
    assert.equal((at.browser_document.get_model_by_name("out") as Div).text, "1 -> 4")
    at.check_in_sync()
  })

  it("a second browser on the session gets the other's change and the reaction; the one that changed it gets only the reaction", async () => {
    await using at = await AppTest.from_function((doc: Document) => {
      const slider = new Slider({ name: "slider", start: 0, end: 10, value: 1 })
      const out = new Div({ name: "out", text: "" })
      slider.on_change("value", (_a, _o, v) => {
        out.text = `value=${String(v)}`
      })
      doc.add_root(slider)
      doc.add_root(out)
    })
    const other = await at.open_browser()
    const [mine, theirs] = [at.mark(), other.mark()]
    await at.set("slider", { value: 6 })
    assert.deepEqual(
      at.changes(mine).map((c) => `${c.model}.${c.attr}`),
      ["out.text"],
    )
    assert.deepEqual(
      other.changes(theirs).map((c) => `${c.model}.${c.attr}`),
      ["slider.value", "out.text"],
    )
    assert.equal(other.model<Slider>("slider").value, 6)
    await other.set("slider", { value: 2 })
    assert.equal(at.browser.model<Div>("out").text, "value=2")
    at.check_in_sync()
  })

  it("click(), event() and select() send UI events as BokehJS does; handlers get the event's values", async () => {
    const got: EventValues[] = []
    await using at = await AppTest.from_function((doc: Document) => {
      const button = new Button({ name: "button" })
      const menu = new Dropdown({ name: "menu", menu: ["save", "load"] })
      const plot = new Plot({ name: "plot" })
      const out = new Div({ name: "out", text: "" })
      button.on_click(() => {
        out.text += "click;"
      })
      menu.on_event(MenuItemClick, (e) => {
        out.text += `item ${String((e as MenuItemClick).item)};`
      })
      plot.on_event(Tap, (e) => {
        got.push(e.values)
        out.text += `tap at ${(e as Tap).x},${(e as Tap).y};`
      })
      doc.add_root(button)
      doc.add_root(menu)
      doc.add_root(plot)
      doc.add_root(out)
    })
    await at.click("button")
    await at.event("menu", MenuItemClick, { item: "load" })
    await at.event("plot", new Tap({ x: 1.5, y: 2, sx: 10, sy: 20 }))
    assert.equal(at.get<Div>("out").text, "click;item load;tap at 1.5,2;")
    assert.equal(got[0]!["model"], at.get("plot"))
    await assert.rejects(at.click("nothing"), /no model "nothing"/)
  })

  it("timeout and next-tick callbacks run on the manual clock; run_until_idle() runs a chain of timeouts", async () => {
    await using at = await AppTest.from_function((doc: Document) => {
      const out = new Div({ name: "out", text: "" })
      const button = new Button({ name: "go" })
      button.on_click(() => {
        doc.add_next_tick_callback(() => {
          out.text += "tick;"
        })
        let n = 0
        const step = () => {
          n += 1
          out.text += `t${n};`
          if (n < 3) doc.add_timeout_callback(step, 1000)
        }
        doc.add_timeout_callback(step, 1000)
      })
      doc.add_root(out)
      doc.add_root(button)
    })
    await at.click("go")
    assert.equal(at.get<Div>("out").text, "tick;") // due now: run before click() returns
    await at.advance(999)
    assert.equal(at.get<Div>("out").text, "tick;")
    await at.advance(1)
    assert.equal(at.get<Div>("out").text, "tick;t1;")
    await at.run_until_idle()
    assert.equal(at.get<Div>("out").text, "tick;t1;t2;t3;")
    assert.equal(at.clock.now(), 3000)
    at.check_in_sync()
  })

  it("a failing callback makes the step throw with the app's file and line; the periodic callback keeps its schedule", async () => {
    await using at = await AppTest.from_file(FAULTY)
    const error = await at.advance(100).then(
      () => null,
      (e: unknown) => e,
    )
    assert.ok(error instanceof AppCallbackError, String(error))
    assert.match(
      error.message,
      new RegExp(
        `faulty_app\\.ts:${fault_line("periodic")}:\\d+: periodic callback .* failed while running callback: Error\\("periodic callback failed at tick 2"\\)`,
      ),
    )
    assert.equal(at.errors[0]!.file, FAULTY)
    assert.equal(at.errors[0]!.line, fault_line("periodic"))
    await at.advance(50)
    assert.equal(at.get<Div>("ticks").text, "3")

    await assert.rejects(
      at.set("slider", { value: 13 }),
      (e: AppCallbackError) => e.errors[0]!.line === fault_line("on_change") && /async on_change failed/.test(e.message),
    )
    assert.equal(at.get<Div>("echo").text, "value: 13")
  })

  it("with raise_errors: false failures are only collected", async () => {
    await using at = await AppTest.from_file(FAULTY, { raise_errors: false })
    await at.advance(200)
    assert.deepEqual(
      at.errors.map((e) => e.message),
      ['Error("periodic callback failed at tick 2")', 'Error("periodic callback failed at tick 4")'],
    )
    assert.ok(at.logs.some((l) => l.includes("periodic callback failed at tick 4") && l.includes(`faulty_app.ts:${fault_line("periodic")}`)))
  })

  it("an app whose script throws while building the document fails to open, naming the file and line", async () => {
    const path = join(temp, "broken.ts")
    writeFileSync(path, 'import { Div, curdoc } from "bokeh-ts"\n\ncurdoc().add_root(new Div({ text: "x" }))\nthrow new Error("no data file")\n')
    const error = await AppTest.from_file(path).then(
      () => null,
      (e: unknown) => e,
    )
    assert.ok(error instanceof AppCallbackError, String(error))
    assert.equal(error.errors[0]!.file, path)
    assert.equal(error.errors[0]!.line, 4)
  })

  it("a script with a syntax error is refused as serve refuses it (BK_ERR_APP_LOAD, file:line:col)", async () => {
    const path = join(temp, "syntax.ts")
    writeFileSync(path, "const x = ;\n")
    await assert.rejects(AppTest.from_file(path), (e: Error & { code?: string }) => e.code === "BK_ERR_APP_LOAD" && /syntax\.ts:1:\d+/.test(e.message))
  })

  it("check_in_sync() notices a browser document that differs from the server's", async () => {
    await using at = await AppTest.from_function((doc: Document) => doc.add_root(new Div({ name: "d", text: "a" })))
    at.check_in_sync()
    ;(at.browser_document.get_model_by_name("d") as Div)._v["text"] = "tampered" // behind the protocol's back
    assert.throws(() => at.check_in_sync(), /differs from the server's/)
  })

  it("a failure between steps is thrown by the next step, and close() throws one left over", async () => {
    const at = await AppTest.from_function((doc: Document) => {
      doc.on_session_destroyed(() => {
        throw new Error("destroy hook failed")
      })
      doc.add_root(new Div({ name: "d", text: "a" }))
    })
    await assert.rejects(at.close(), (e: AppCallbackError) => e.code === "BK_ERR_APP_CALLBACK" && /destroy hook failed/.test(e.message))
  })
})
