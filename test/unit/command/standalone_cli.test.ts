/** `bokeh-ts html`, `json`, `info`, `static`: run as the CLI runs them. */
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"

import { main } from "../../../src/command/main.ts"
import { filename_from_route } from "../../../src/command/subcommands/file_output.ts"
import { static_server } from "../../../src/command/subcommands/static.ts"
import { BOKEHJS_STATIC_DIR } from "../../../src/embed/resources.ts"
import { Document } from "../../../src/document/document.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { parse_page } from "../embed/standalone_parse.ts"

import { BOKEH_TS_CLI } from "../../support/cli.ts"

set_log_level("none")
const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-cli-"))
after(() => rmSync(dir, { recursive: true, force: true }))

const APP = join(dir, "app.ts")
writeFileSync(
  APP,
  `import { Div, curdoc, figure } from "bokeh-ts"
const n = Number(process.argv[2] ?? 3)
const p = figure({ name: "plot", width: 300, height: 200 })
p.line({ x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => i * i) })
curdoc().add_root(p)
curdoc().add_root(new Div({ name: "note", text: "n = " + n }))
curdoc().title = "CLI app"
`,
)

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BOKEH_TS_CLI, ...args], { encoding: "utf8", env: { ...process.env, BOKEH_LOG_LEVEL: "error" } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("bokeh-ts html / json", () => {
  it("html writes the app's document as a standalone page with its title; --args reach the app", async () => {
    const out = join(dir, "app.html")
    assert.equal(await main(["html", APP, "-o", out, "--resources", "cdn", "--args", "5"]), 0)
    const page = parse_page(readFileSync(out, "utf8"))
    assert.equal(page.title, "CLI app")
    assert.ok(page.script_srcs[0]!.startsWith("https://cdn.bokeh.org/bokeh/release/bokeh-3.10."))
    const [doc] = Object.values(page.calls[0]!.docs_json)
    const loaded = Document.from_json(doc)
    assert.deepEqual(
      loaded.roots.map((r) => (r as unknown as { name: string }).name),
      ["plot", "note"],
    )
    assert.equal((loaded.get_model_by_name("note") as unknown as { text: string }).text, "n = 5")
  })

  it("html --resources inline makes one self-contained file", async () => {
    const out = join(dir, "inline.html")
    assert.equal(await main(["html", APP, "--resources=inline", "-o", out]), 0)
    assert.doesNotMatch(readFileSync(out, "utf8"), /<script[^>]* src=/)
  })

  it("json writes document JSON (indented with --indent) that loads as a Document", async () => {
    const out = join(dir, "app.json")
    assert.equal(await main(["json", APP, "--indent", "2", "-o", out]), 0)
    const text = readFileSync(out, "utf8")
    assert.match(text, /^\{\n {2}"version": "3\.10\./)
    const doc = Document.from_json(JSON.parse(text))
    assert.equal(doc.title, "CLI app")
    assert.equal(doc.roots.length, 2)
  })

  it("json -o - prints to standard output (the real CLI)", () => {
    const r = cli("json", APP, "-o", "-")
    assert.equal(r.status, 0, r.stderr)
    assert.equal(JSON.parse(r.stdout).title, "CLI app")
  })

  it("names files after the app's route; refuses more -o than apps, unknown options and no apps", async () => {
    assert.equal(filename_from_route("/", "html"), "index.html")
    assert.equal(filename_from_route("/sliders", "json"), "sliders.json")
    const r = cli("html", APP, "-o", join(dir, "a.html"), "-o", join(dir, "b.html"))
    assert.equal(r.status, 1)
    assert.match(r.stderr, /--output\/-o was given too many times \(2 times for 1 applications\)/)
    assert.equal(await main(["json", APP, "--bogus"]), 1)
    assert.equal(await main(["html"]), 1)
    assert.equal(await main(["html", APP, "--resources", "nope"]), 1)
  })

  it("an app that fails to load is reported with its file, and nothing is written", () => {
    const bad = join(dir, "bad.ts")
    writeFileSync(bad, "const x = ;\n")
    const r = cli("html", bad, "-o", join(dir, "bad.html"))
    assert.equal(r.status, 1)
    assert.match(r.stderr, /bad\.ts:1:\d+/)
  })
})

describe("bokeh-ts info / static", () => {
  it("info prints versions and paths; --static prints where BokehJS's files are", () => {
    const r = cli("info")
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^bokeh-ts version\s+:\s+\d+\.\d+\.\d+$/m)
    assert.match(r.stdout, /^BokehJS version\s+:\s+3\.10\.\d+$/m)
    assert.match(r.stdout, /^node\.js version\s+:\s+v\d+/m)
    const s = cli("info", "--static")
    assert.equal(s.stdout, `${BOKEHJS_STATIC_DIR}\n`)
  })

  it("static serves BokehJS's bundles and no apps", async () => {
    const server = (await static_server(["--port", "0", "--address", "127.0.0.1", "--log-level", "none"]))!
    try {
      const base = `http://127.0.0.1:${server.port}`
      const js = await fetch(`${base}/static/js/bokeh.min.js`)
      assert.equal(js.status, 200)
      assert.equal((await js.arrayBuffer()).byteLength, readFileSync(join(BOKEHJS_STATIC_DIR, "js", "bokeh.min.js")).byteLength)
      // The index lists no applications.
      assert.doesNotMatch(await (await fetch(`${base}/`)).text(), /<li>/)
    } finally {
      await server.stop()
    }
  })

  it("static refuses bad options", async () => {
    assert.equal(await main(["static", "--port", "x"]), 1)
    assert.equal(await main(["static", "--nope", "1"]), 1)
  })
})

describe("bokeh-ts settings", () => {
  it("prints a table of settings with their environment variables and values, hiding secrets", () => {
    const r = spawnSync(process.execPath, [BOKEH_TS_CLI, "settings"], {
      encoding: "utf8",
      env: { ...process.env, BOKEH_RESOURCES: "inline", BOKEH_SECRET_KEY: "s3cr3t-value-that-must-not-print" },
    })
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^Setting\s+Environment Variable\s+Value$/m)
    assert.match(r.stdout, /^resources\s+BOKEH_RESOURCES\s+inline$/m)
    assert.match(r.stdout, /^secret_key\s+BOKEH_SECRET_KEY\s+\(set, hidden\)$/m)
    assert.doesNotMatch(r.stdout, /s3cr3t/)
  })

  it("shows one setting (by name or variable) with -v details; an unknown name exits 1", () => {
    const r = spawnSync(process.execPath, [BOKEH_TS_CLI, "settings", "-v", "BOKEH_BROWSER"], {
      encoding: "utf8",
      env: { ...process.env, BOKEH_BROWSER: "firefox" },
    })
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^browser \(BOKEH_BROWSER\): firefox\n {4}source: environment \(BOKEH_BROWSER\)/)
    assert.equal(spawnSync(process.execPath, [BOKEH_TS_CLI, "settings", "nope"]).status, 1)
  })
})
