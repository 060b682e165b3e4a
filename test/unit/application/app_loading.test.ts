/**
 * How apps are compiled and loaded: in memory (nothing written next to the app, so read-only folders
 * work), the same way whatever package.json the folder has (or none), with source maps (stack traces name
 * the user's file and line), and `serve` refusing to start when an app does not load.
 */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"

import { serve } from "../../../src/command/subcommands/serve.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { RawClient } from "../server/helpers.ts"
import { BOKEH_TS_CLI } from "../../support/cli.ts"

const bin = BOKEH_TS_CLI
const roots: string[] = []

after(() => {
  for (const root of roots) {
    chmodSync_recursive(root, 0o755)
    rmSync(root, { recursive: true, force: true })
  }
})

function chmodSync_recursive(path: string, mode: number): void {
  const dir = statSync(path).isDirectory()
  chmodSync(path, dir ? mode : mode & 0o666)
  if (dir) for (const name of readdirSync(path)) chmodSync_recursive(join(path, name), mode)
}

/** Writes `files` (relative path → text) into a new folder under the system temp dir (no package.json above it). */
function make_app(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "bokeh-ts-app-"))
  roots.push(root)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true })
    writeFileSync(join(root, name), text)
  }
  return root
}

/** Every path under `dir` with its mtime and size: equal snapshots mean nothing was written there. */
function snapshot(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const s = statSync(p)
      out.push(`${p} ${s.mtimeMs} ${s.size}`)
      if (s.isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out
}

async function pull(base: string, path: string): Promise<string> {
  const c = await RawClient.connect(base, path)
  await c.ack()
  const doc = JSON.stringify((await c.request("PULL-DOC-REQ", {})).content)
  c.close()
  await c.closed
  return doc
}

/** A directory app whose lifecycle module and main share a local module, all in TypeScript. */
const DIRECTORY_APP = {
  "lc/state.ts": 'export const stats: { loaded: string; sessions: number } = { loaded: "no", sessions: 0 }\n',
  "lc/server_lifecycle.ts": [
    'import type { ServerContext, SessionContext } from "bokeh-ts"',
    'import { stats } from "./state.ts"',
    'export function on_server_loaded(_c: ServerContext): void { stats.loaded = "yes" }',
    "export function on_session_created(_c: SessionContext): void { stats.sessions += 1 }",
    "",
  ].join("\n"),
  "lc/main.ts": [
    'import { Div, curdoc } from "bokeh-ts"',
    'import { stats } from "./state.ts"',
    "",
    'const where = new Error("here").stack ?? ""',
    'curdoc().add_root(new Div({ name: "info", text: `loaded=${stats.loaded} sessions=${stats.sessions} stack=${JSON.stringify(where.split("\\n")[1])}` }))',
    "",
  ].join("\n"),
  "script.ts": 'import { Div, curdoc } from "bokeh-ts"\nconst n: number = 42\ncurdoc().add_root(new Div({ text: `script n=${n}` }))\n',
  "nb.ipynb": JSON.stringify({
    cells: [
      { cell_type: "code", source: ['import { Div, curdoc } from "bokeh-ts"\n', 'import { stats } from "./lc/state.ts"\n'] },
      { cell_type: "code", source: "const m: number = 7\ncurdoc().add_root(new Div({ text: `notebook m=${m} ${typeof stats}` }))\n" },
    ],
  }),
}

async function serve_read_only(root: string): Promise<void> {
  chmodSync_recursive(root, 0o555)
  const before = snapshot(root)
  // As root, chmod does not stop writes: the snapshot comparison below is the proof then.
  const server = (await serve([
    join(root, "lc"),
    join(root, "script.ts"),
    join(root, "nb.ipynb"),
    "--port",
    "0",
    "--address",
    "127.0.0.1",
    "--log-level",
    "none",
  ]))!
  set_log_level("none")
  try {
    const base = `http://127.0.0.1:${server.port}`
    assert.equal((await fetch(`${base}/lc`)).status, 200)
    const doc = await pull(base, "/lc")
    assert.match(doc, /loaded=yes sessions=\d/, "the lifecycle hooks ran and share state.ts with main.ts")
    // main.ts line 4, column 15: `new Error` in the user's file, not in a compiled copy.
    assert.match(doc, /lc\/main\.ts:4:15/)
    assert.doesNotMatch(doc, /bokeh-ts-[0-9a-f]+\.mjs/)
    assert.match(await pull(base, "/script"), /script n=42/)
    assert.match(await pull(base, "/nb"), /notebook m=7 object/)
  } finally {
    await server.stop()
  }
  assert.deepEqual(snapshot(root), before, "nothing was written into the app folder")
}

describe("app loading", () => {
  it("serves script, notebook and directory apps (with lifecycle hooks) from a read-only folder without package.json", async () => {
    await serve_read_only(make_app(DIRECTORY_APP))
  })

  it('loads them the same way inside a "type": "commonjs" package', async () => {
    await serve_read_only(make_app({ ...DIRECTORY_APP, "package.json": '{ "type": "commonjs" }\n' }))
  })

  it("stack traces of callbacks name the user's file and line, in the script and in modules it imports", async () => {
    const root = make_app({
      "helper.ts": 'export function where(): string {\n  return new Error("x").stack!.split("\\n")[1]!\n}\n',
      "app.ts": [
        'import { Button, Div, curdoc } from "bokeh-ts"',
        'import { where } from "./helper.ts"',
        "",
        "type T = { a: number }",
        "const t: T = { a: 1 }",
        'const div = new Div({ name: "out", text: where() })',
        'const b = new Button({ name: "b" })',
        "curdoc().add_root(div)",
        "curdoc().add_root(b)",
        "function in_callback(): string {",
        '  return new Error(`in callback ${t.a}`).stack!.split("\\n")[1]!',
        "}",
        "div.text += ` | ${in_callback()}`",
        "",
      ].join("\n"),
    })
    const server = (await serve([join(root, "app.ts"), "--port", "0", "--address", "127.0.0.1", "--log-level", "none"]))!
    set_log_level("none")
    try {
      const doc = await pull(`http://127.0.0.1:${server.port}`, "/app")
      assert.match(doc, /helper\.ts:2:10/)
      assert.match(doc, /app\.ts:11:10/)
    } finally {
      await server.stop()
    }
  })
})

describe("plain JavaScript apps (no compiler: acorn splits the script, modules load as they are)", () => {
  it("stack traces name the user's file and line; exports and a hashbang are fine", async () => {
    const root = make_app({
      "helper.js": 'export function where() {\n  return new Error("x").stack.split("\\n")[1]\n}\n',
      "app.js": [
        "#!/usr/bin/env node",
        'import { Div, curdoc } from "bokeh-ts"',
        'import { where } from "./helper.js"',
        'export const div = new Div({ name: "out", text: where() })',
        "curdoc().add_root(div)",
        "function in_script() {",
        '  return new Error("in script").stack.split("\\n")[1]',
        "}",
        "div.text += ` | ${in_script()}`",
        "export default 1",
        "",
      ].join("\n"),
    })
    const server = (await serve([join(root, "app.js"), "--port", "0", "--address", "127.0.0.1", "--log-level", "none"]))!
    set_log_level("none")
    try {
      const doc = await pull(`http://127.0.0.1:${server.port}`, "/app")
      assert.match(doc, /helper\.js:2:10/)
      assert.match(doc, /app\.js:7:10/)
    } finally {
      await server.stop()
    }
  })
})

/** Runs `bokeh-ts serve ARGS` to its exit; resolves with the exit code and stderr. */
function run_serve(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--address", "127.0.0.1", ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.stdout.resume()
    // A server that starts would run until killed: once it says it listens, the test has failed anyway.
    child.stderr.on("data", () => {
      if (/Bokeh app running at/.test(stderr)) child.kill("SIGTERM")
    })
    child.on("exit", (code) => resolve({ code, stderr }))
  })
}

describe("bokeh-ts serve checks every app before it listens", () => {
  it("a syntax error in the script or in a module it imports exits non-zero with file:line:col and the message", async () => {
    const root = make_app({
      "bad.ts": 'import { curdoc } from "bokeh-ts"\n\nconst x = ;\ncurdoc()\n',
      "ok.ts": 'import { curdoc } from "bokeh-ts"\nimport { h } from "./lib/helper.ts"\ncurdoc().title = String(h)\n',
      "lib/helper.ts": "export const h = 1\nconst = 2\n",
    })
    const bad = await run_serve([join(root, "bad.ts")])
    assert.notEqual(bad.code, 0)
    assert.match(bad.stderr, new RegExp(`${join(root, "bad.ts").replace(/[.]/g, "\\.")}:3:11: Unexpected ";"`))
    assert.doesNotMatch(bad.stderr, /Bokeh app running at/)
    const imported = await run_serve([join(root, "ok.ts")])
    assert.notEqual(imported.code, 0)
    assert.match(imported.stderr, /lib\/helper\.ts:2:7: Expected identifier but found "="/)
  })

  it("a lifecycle module that fails to load is a startup error", async () => {
    const root = make_app({
      "app/main.ts": 'import { curdoc } from "bokeh-ts"\ncurdoc().title = "x"\n',
      "app/server_lifecycle.ts": 'import { missing } from "./nowhere.ts"\nexport function on_server_loaded(): void { missing() }\n',
    })
    const result = await run_serve([join(root, "app")])
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /server_lifecycle\.ts/)
    assert.match(result.stderr, /nowhere\.ts/)
  })
})
