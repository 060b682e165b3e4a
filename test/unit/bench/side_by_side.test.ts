/** Several --target servers in one run: planning, labelled rows, the side-by-side table, and the CLI end to end. */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { after, before, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { start_child_server, type ChildServer } from "../../../bench/lib/child_server.ts"
import { markdown_table, type RunInfo } from "../../../bench/lib/report.ts"
import { side_by_side_table } from "../../../bench/lib/side_by_side.ts"
import { app_ws_url } from "../../../bench/lib/target.ts"
import { parse_targets, plan_runs } from "../../../bench/lib/targets.ts"
import { BenchFailure, type Row, type Scenario } from "../../../bench/lib/types.ts"

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..")
const fake = (name: string, targets: Scenario["targets"]): Scenario => ({ name, description: name, targets, run: async () => [] })
const local = fake("ceiling", "none")
const ipc = fake("memory", "self")
const remote = fake("sessions", "any")

describe("bench targets: planning", () => {
  it("no --target: every scenario once, against our server, unlabelled", () => {
    const { runs, skipped } = plan_runs([local, ipc, remote], [], false)
    assert.deepEqual(
      runs.map((r) => [r.scenario.name, r.target]),
      [
        ["ceiling", undefined],
        ["memory", undefined],
        ["sessions", undefined],
      ],
    )
    assert.deepEqual(skipped, [])
  })

  it("self + URL: target-aware scenarios once per server, IPC ones against self only", () => {
    const targets = parse_targets(["self", "http://127.0.0.1:5006/sliders"])
    const { runs } = plan_runs([local, ipc, remote], targets, false)
    assert.deepEqual(
      runs.map((r) => `${r.scenario.name}@${r.target?.label ?? "-"}`),
      ["ceiling@-", "memory@self", "sessions@self", "sessions@http://127.0.0.1:5006/sliders"],
    )
    assert.equal(runs[3]!.target!.url, "http://127.0.0.1:5006/sliders")
    assert.equal(runs[2]!.target!.url, undefined)
  })

  it("an IPC-only scenario without self is skipped in a full run and an error when asked for", () => {
    const targets = parse_targets(["http://127.0.0.1:5006/sliders"])
    assert.deepEqual(plan_runs([ipc, remote], targets, false).skipped, ["memory (needs --target self)"])
    assert.throws(
      () => plan_runs([ipc], targets, true),
      (e: Error) => e instanceof BenchFailure && /memory: measures only our own server .* add --target self/.test(e.message),
    )
  })

  it("the same target twice gets distinct labels; a non-URL is refused", () => {
    assert.deepEqual(
      parse_targets(["self", "self"]).map((t) => t.label),
      ["self", "self #2"],
    )
    assert.throws(() => parse_targets(["localhost-5006"]), /neither "self" nor a URL/)
  })

  it("the stream app is the sliders URL's sibling", () => {
    assert.equal(app_ws_url("http://h:5006/sliders", "stream"), "ws://h:5006/stream/ws")
    assert.equal(app_ws_url("http://h:5006/sliders", "sliders"), "ws://h:5006/sliders/ws")
    assert.equal(app_ws_url("http://h:5006/", "stream"), "ws://h:5006/stream/ws")
  })
})

describe("bench targets: tables", () => {
  const rows: Row[] = [
    { scenario: "ceiling", metric: "echo msgs/s, c=16", value: 100_000, unit: "msg/s" },
    { scenario: "sessions", server: "self", metric: "sessions/s, c=1", value: 500, unit: "1/s" },
    { scenario: "sessions", server: "http://py:5006/sliders", metric: "sessions/s, c=1", value: 12.5, unit: "1/s" },
  ]

  it("the results table gets a server column", () => {
    const table = markdown_table(rows)
    assert.match(table, /^\| scenario \| server \| metric \|/)
    assert.match(table, /\| sessions \| http:\/\/py:5006\/sliders \| sessions\/s, c=1 \| 12\.5 1\/s \|/)
  })

  it("the side-by-side table has a column per server and their ratio", () => {
    const table = side_by_side_table(rows)
    assert.match(table, /\| scenario \| metric \| self \| http:\/\/py:5006\/sliders \| self ÷ http:\/\/py:5006\/sliders \|/)
    assert.match(table, /\| sessions \| sessions\/s, c=1 \| 500\.0 1\/s \| 12\.5 1\/s \| 40\.00× \|/)
    assert.doesNotMatch(table, /ceiling/)
    assert.equal(side_by_side_table(rows.slice(0, 2)), "")
  })
})

describe("bench targets: two servers side by side in one run (CLI)", () => {
  let other: ChildServer
  const dir = mkdtempSync(join(tmpdir(), "bench-side-by-side-"))
  before(async () => {
    other = await start_child_server("bokeh_server")
  })
  after(async () => {
    await other.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("`--target self --target URL` measures sessions and stream on both and labels every row", async () => {
    const url = `http://127.0.0.1:${other.port}/sliders`
    const json = join(dir, "run.json")
    const args = [
      "--import",
      "tsx",
      "bench/run.ts",
      "--scenario",
      "sessions",
      "--scenario",
      "stream",
      "--target",
      "self",
      "--target",
      url,
      "--concurrency",
      "2",
      "--seconds",
      "0.3",
      "--no-write",
      "--json",
      json,
    ]
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (c: Buffer) => (out += c.toString()))
    child.stderr.on("data", (c: Buffer) => (err += c.toString()))
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve))
    assert.equal(code, 0, `bench failed:\n${err}`)
    assert.match(err, new RegExp(`running stream against ${url.replace(/[/.]/g, "\\$&")}`))
    assert.match(out, /Side by side:/)
    assert.match(out, new RegExp(`\\| stream \\| rows/s received, 2 sessions \\| [\\d,.]+ rows/s \\| [\\d,.]+ rows/s \\| [\\d.]+× \\|`))
    const info = JSON.parse(readFileSync(json, "utf8")) as RunInfo
    assert.deepEqual(info.targets, ["self", url])
    for (const server of ["self", url]) {
      for (const scenario of ["sessions", "stream"]) {
        assert.ok(
          info.rows.some((r) => r.server === server && r.scenario === scenario),
          `no ${scenario} rows for ${server}`,
        )
      }
    }
  })
})
