/**
 * Every gallery app (examples/, as `npm start` serves it) tested with AppTest: its real server session
 * in-process, driven as a browser drives it, on a manual clock. What each test checks is what a user of
 * the app would see change; `check_in_sync` proves the browser's copy, built only from what the server
 * sent, agrees with the server's document.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import type { Button, Column, ColumnDataSource, Div, Plot, Row, Select, Title } from "../../../src/index.ts"
import { AppCallbackError, AppTest } from "../../../src/testing/index.ts"
import { set_log_level } from "../../../src/util/logging.ts"

set_log_level((process.env["BOKEH_TEST_LOG"] as "info" | undefined) ?? "none")

const column_of = (source: ColumnDataSource, name: string) => Array.from(source.data[name] as ArrayLike<number>)

describe("gallery apps under AppTest", () => {
  it("sliders: a slider change recomputes the plot's data source; the text input renames the plot", async () => {
    await using at = await AppTest.from_file("examples/sliders.ts")
    const source = at.get<ColumnDataSource>("source")
    const x = column_of(source, "x")
    const mark = at.mark()
    await at.set("freq", { value: 2 })
    const y = column_of(at.get<ColumnDataSource>("source"), "y")
    for (const i of [0, 50, 199]) assert.ok(Math.abs(y[i]! - Math.sin(2 * x[i]!)) < 1e-12, `y[${i}]`)
    // The browser gets the new data, not its own slider value back (echo rules).
    assert.deepEqual(at.changes(mark), [{ kind: "ColumnDataChanged", model: "source", attr: "data" }])
    assert.deepEqual(column_of(at.browser_document.get_model_by_name("source") as ColumnDataSource, "y"), y)

    await at.set("title", { value: "a new title" })
    const plot = (at.document.roots[0] as Row).children[1] as Plot
    assert.equal((plot.title as Title).text, "a new title")
    at.check_in_sync()
  })

  it("button: a click runs its callback, which adds a renderer and counts", async () => {
    await using at = await AppTest.from_file("examples/button.ts")
    const plot = (at.document.roots[0] as Column).children[2] as Plot
    const renderers = plot.renderers.length
    await at.click("button")
    await at.click("button")
    assert.equal(at.get<Div>("info").text, "clicks: 2")
    assert.equal(plot.renderers.length, renderers + 2)
    at.check_in_sync()
  })

  it("ohlc: advance() runs the 200 ms periodic callback on the manual clock, and the stream rolls over at 200", async () => {
    await using at = await AppTest.from_file("examples/ohlc.ts")
    const bars = () => (at.get<ColumnDataSource>("source").data["time"] as number[]).length
    assert.equal(bars(), 0)
    await at.advance(1000)
    assert.equal(bars(), 5)
    assert.equal(at.clock.now(), 1000)
    await at.set("speed", { value: "4" })
    await at.advance(41_000)
    assert.equal(bars(), 200)
    assert.deepEqual((at.get<ColumnDataSource>("source").data["time"] as number[]).slice(0, 2), [11, 12])
    at.check_in_sync()
  })

  it("selection_histogram: selecting rows runs the server callback, which fills the histograms", async () => {
    await using at = await AppTest.from_file("examples/selection_histogram.ts")
    await at.select("source", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert.equal(at.get<Div>("status").text, "selected: 10")
    const sum = (name: string) => column_of(at.get<ColumnDataSource>(name), "top").reduce((a, b) => a + b, 0)
    assert.equal(sum("hx"), 10)
    assert.equal(sum("hy"), 10)
    at.check_in_sync()
  })

  it("crossfilter: a Select change redraws the scatter; a value that is no column is reported with the app's file and line", async () => {
    await using at = await AppTest.from_file("examples/crossfilter.ts")
    const title = () => (((at.document.roots[0] as Row).children[1] as Column).children[0] as Plot).title as Title
    await at.set("x", { value: "weight" })
    assert.equal(title().text, "hp vs weight")
    at.check_in_sync()

    const error = await at.set("x", { value: "price" }).then(
      () => null,
      (e: unknown) => e,
    )
    assert.ok(error instanceof AppCallbackError, String(error))
    assert.equal(error.code, "BK_ERR_APP_CALLBACK")
    assert.match(error.message, /examples\/crossfilter\.ts:33:\d+: on_change\('value'\) callback update of Select/)
    const [failure] = at.errors
    assert.ok(failure !== undefined && failure.file !== null)
    assert.ok(failure.file.endsWith("examples/crossfilter.ts"))
    assert.equal(failure.line, 33)
    assert.equal(failure.during, "handling message PATCH-DOC")
    // The patch itself was applied (as the server does); the plot stays as it was.
    assert.equal(at.get<Select>("x").value, "price")
    assert.equal(title().text, "hp vs weight")
  })

  it("monitor: advance(5000) runs the 1 s periodic callback five times; the async click handler is awaited", async () => {
    await using at = await AppTest.from_file("examples/monitor.ts")
    await at.advance(5000)
    assert.equal(at.get<Div>("status").text, "samples: 5")
    assert.deepEqual(at.get<ColumnDataSource>("samples").data["t"], [1, 2, 3, 4, 5])
    const mark = at.mark()
    await at.click("compress")
    assert.match(at.get<Div>("result").text as string, /^5 samples: \d+ bytes of JSON, \d+ gzipped$/)
    assert.equal(at.get<Button>("compress").disabled, false)
    // Everything the async handler did went out in one PATCH-DOC, after it finished.
    const patches = at.messages.slice(mark).filter((m) => m.header.msgtype === "PATCH-DOC")
    assert.equal(patches.length, 1)
    assert.deepEqual(
      at.changes(mark).map((c) => `${c.model}.${c.attr}`),
      ["compress.disabled", "result.text", "compress.disabled"],
    )
    at.check_in_sync()
  })

  it("message_counter: a message bumps the count shared by every session of the app", async () => {
    await using a = await AppTest.from_directory("examples/message_counter")
    const count = (at: AppTest) => Number(/\d+/.exec(at.get<Div>("count").text as string)![0])
    const before = count(a)
    await a.set("message", { value: "hello <b>" })
    assert.equal(count(a), before + 1)
    assert.equal(a.get<Div>("last").text, "last message: <b>hello b</b>")
    // A new session of the same app (same module, so the same state) starts from the shared count.
    await using b = await AppTest.from_directory("examples/message_counter")
    assert.equal(count(b), before + 1)
  })

  it("request_args: the app sees the request's arguments", async () => {
    await using at = await AppTest.from_file("examples/request_args.ts", { arguments: { N: "10", name: ["Ada", "Grace"] } })
    const text = at.get<Div>("args").text as string
    assert.match(text, /"N":\["10"\]/)
    assert.match(text, /"name":\["Ada","Grace"\]/)
  })

  it("lifecycle: the directory app's hooks count sessions; a click streams ten steps", async () => {
    const open = (at: AppTest) => Number(/(\d+) open/.exec(at.get<Div>("info").text as string)![1])
    await using a = await AppTest.from_directory("examples/lifecycle")
    assert.match(a.get<Div>("info").text as string, /^server started \d{4}-.*; session #\d+, \d+ open$/)
    assert.equal(a.document.template_variables["heading"], "A directory app")
    const b = await AppTest.from_directory("examples/lifecycle")
    assert.equal(open(b), open(a) + 1)
    await b.close() // discards b's session: on_session_destroyed runs
    await using c = await AppTest.from_directory("examples/lifecycle")
    assert.equal(open(c), open(a) + 1)

    await a.click("step")
    assert.equal((a.get<ColumnDataSource>("source").data["x"] as number[]).length, 11)
    a.check_in_sync()
  })

  it("themes: theme.yaml styles the plot; choosing a built-in theme restyles it, and back", async () => {
    await using at = await AppTest.from_directory("examples/themes")
    const background = () => at.get<Plot>("plot").background_fill_color
    assert.equal(background(), "#FBF8F1")
    await at.set("theme", { value: "dark_minimal" })
    assert.equal(background(), "#20262B")
    assert.equal((at.browser_document.get_model_by_name("plot") as Plot).background_fill_color, "#20262B")
    await at.set("theme", { value: "theme.yaml" })
    assert.equal(background(), "#FBF8F1")
    at.check_in_sync()
  })
})
