import assert from "node:assert/strict"
import type { EventEmitter } from "node:events"
import { once } from "node:events"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { Application } from "../../../src/application/application.ts"
import { DirectoryHandler } from "../../../src/application/handlers/directory.ts"
import { NotebookHandler } from "../../../src/application/handlers/notebook.ts"
import { ScriptHandler } from "../../../src/application/handlers/script.ts"
import { split_imports } from "../../../src/application/handlers/code_runner.ts"
import { RawClient, start_server } from "../server/helpers.ts"

const apps = fileURLToPath(new URL("../../fixtures/apps/", import.meta.url))

async function pull(base: string, path: string, query?: string): Promise<string> {
  const c = await RawClient.connect(base, path, query !== undefined ? { query } : {})
  await c.ack()
  const doc = JSON.stringify((await c.request("PULL-DOC-REQ", {})).content)
  c.close()
  await c.closed
  return doc
}

describe("application handlers", () => {
  it("split_imports keeps import declarations at module level and the rest in the body, line for line", () => {
    const { imports, body } = split_imports(
      'import { a } from "x";\nimport * as b from "y";\nconst c = import("z");\nexport const d = 1;\nexport { d as e };\nfoo(a, b);\n',
    )
    assert.equal(imports, 'import { a } from "x";\nimport * as b from "y";')
    assert.equal(body, '\n\nconst c = import("z");\n       const d = 1;\n\nfoo(a, b);\n')
  })

  it("ScriptHandler: transpiled once, top-level code per session, imports shared, arguments and argv seen", async (t) => {
    // The fixture's shared module may already be loaded in this process (test files share processes, and
    // others serve the same fixture): count from where it stands.
    const { state } = (await import(join(apps, "shared_counter.ts"))) as { state: { loads: number; sessions: number } }
    const { loads, sessions } = state
    const handler = new ScriptHandler({ filename: join(apps, "script_app.ts"), argv: ["--foo", "bar"] })
    assert.equal(handler.url_path(), "/script_app")
    const server = await start_server({ "/script": new Application(handler) })
    t.after(() => server.stop())
    const base = `http://127.0.0.1:${server.port}`
    const first = await pull(base, "/script", "N=5")
    const second = await pull(base, "/script")
    // The shared module was loaded once in all (by this test's import above, or before it).
    assert.equal(state.loads, Math.max(loads, 1))
    assert.match(first, new RegExp(`loads=${state.loads} sessions=${sessions + 1} N=5 argv=--foo,bar`))
    assert.match(second, new RegExp(`loads=${state.loads} sessions=${sessions + 2} N=none`))
    assert.deepEqual(
      readdirSync(apps).filter((f) => f.includes("bokeh-ts-")),
      [],
      "no hidden files left behind",
    )
  })

  it("ScriptHandler: a broken script is logged and the session still comes up", async (t) => {
    const handler = new ScriptHandler({ filename: join(apps, "broken.ts"), source: "const = ;" })
    await handler.ready()
    assert.ok(handler.failed)
    assert.match(handler.error!, /broken\.ts/)
    const server = await start_server({ "/broken": new Application(handler) })
    t.after(() => server.stop())
    const doc = await pull(`http://127.0.0.1:${server.port}`, "/broken")
    assert.match(doc, /"roots":\[\]/)
  })

  it("NotebookHandler: code cells (magics dropped) run as one script", async (t) => {
    const handler = new NotebookHandler({ filename: join(apps, "notebook_app.ipynb") })
    assert.equal(handler.url_path(), "/notebook_app")
    const server = await start_server({ "/nb": new Application(handler) })
    t.after(() => server.stop())
    assert.match(await pull(`http://127.0.0.1:${server.port}`, "/nb"), /from a notebook/)
  })

  it("DirectoryHandler: main, lifecycle hooks, static files, custom template, process_request", { timeout: 30_000 }, async (t) => {
    const handler = new DirectoryHandler({ filename: join(apps, "dir_app") })
    assert.equal(handler.url_path(), "/dir_app")
    const server = await start_server(
      { "/dir_app": new Application(handler) },
      { check_unused_sessions_milliseconds: 50, unused_session_lifetime_milliseconds: 50 },
    )
    t.after(() => server.stop())
    const base = `http://127.0.0.1:${server.port}`
    // The hooks module records every call in this process (another test file may have served this app
    // before): this server's calls are the ones after the last "server_loaded".
    const hooks = (await import(join(apps, "dir_app/server_lifecycle.ts"))) as { calls: string[]; hook_events: EventEmitter }
    const since = hooks.calls.lastIndexOf("server_loaded")
    const calls = () => hooks.calls.slice(since)
    assert.deepEqual(calls(), ["server_loaded"])
    const page = await (await fetch(`${base}/dir_app?X=7`)).text()
    assert.match(page, /<meta name="custom" content="hi there">/)
    assert.match(page, /<h1>Custom page<\/h1><div id="[^"]+" data-root-id="[^"]+"/)
    assert.match(page, /bokeh\.min\.js/)
    const token = /"token":"([^"]+)"/.exec(page)![1]!
    const { get_token_payload } = await import("../../../src/util/token.ts")
    assert.equal(get_token_payload(token)["from_hook"], "7")
    assert.equal(await (await fetch(`${base}/dir_app/static/hello.txt`)).text(), "static hello\n")
    // Both sessions (the page's and the pull's) expire once unused: wait for a destroy hook, not for time.
    const destroyed = once(hooks.hook_events, "session_destroyed")
    assert.match(await pull(base, "/dir_app"), /from a directory app/)
    await destroyed
    assert.ok(calls().includes("session_created"))
    assert.ok(calls().includes("session_destroyed"))
    await server.stop()
    assert.equal(calls().at(-1), "server_unloaded")
  })
})
