/**
 * BaseServer (Python's name) serving a core on an http.Server the caller made, session lookups, and
 * the Python names every seed mentions (BokehTornado, ApplicationHandler, ServerContext, SessionContext).
 * On TCP, not in-process: mounting on a listening http.Server is what is tested.
 */
import assert from "node:assert/strict"
import { createServer } from "node:http"
import { describe, it } from "node:test"

import * as bokeh from "../../../src/index.ts"
import { Application, BaseServer, BokehTornado, Server } from "../../../src/index.ts"
import { BokehError } from "../../../src/core/errors.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { set_log_level } from "../../../src/util/logging.ts"

describe("BaseServer", () => {
  it("serves a BokehTornado core on the caller's http.Server; sessions can be looked up", async () => {
    set_log_level("none")
    const http = createServer()
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve))
    const port = (http.address() as { port: number }).port
    const core = new BokehTornado({ "/echo": new Application(echo_app) }, {}, [`127.0.0.1:${port}`])
    const server = new BaseServer(core, http)
    await server.start()
    try {
      assert.equal(server.port, port)
      assert.equal(server.get_sessions("/echo").length, 0)
      const page = await fetch(`http://127.0.0.1:${port}/echo`)
      assert.equal(page.status, 200)
      const [session] = server.get_sessions("/echo")
      assert.ok(session !== undefined)
      assert.equal(server.get_session("/echo", session.id), session)
      assert.deepEqual(
        server.get_sessions().map((s) => s.id),
        [session.id],
      )
      assert.throws(
        () => server.get_sessions("/nope"),
        (e) => e instanceof BokehError && /does not exist/.test(e.message),
      )
      assert.throws(() => server.get_session("/echo", "missing"), BokehError)
    } finally {
      await server.stop()
      http.close()
    }
  })

  it("Server is a BaseServer", async () => {
    const server = new Server({ "/echo": echo_app }, { port: 0, address: "127.0.0.1" })
    assert.ok(server instanceof BaseServer)
    await server.start()
    try {
      await fetch(`http://127.0.0.1:${server.port}/echo`)
      assert.equal(server.get_sessions("/echo").length, 1)
    } finally {
      await server.stop()
    }
  })

  it("the classes the seeds name exist at runtime under Bokeh's names", () => {
    for (const name of [
      "Application",
      "ApplicationHandler",
      "BaseServer",
      "BokehTornado",
      "ClientConnection",
      "ClientSession",
      "DirectoryHandler",
      "DocumentLock",
      "FunctionHandler",
      "NotebookHandler",
      "PeriodicCallback",
      "ScriptHandler",
      "Server",
      "ServerContext",
      "SessionContext",
      "curdoc",
      "pull_session",
      "push_session",
      "show_session",
      "without_document_lock",
    ]) {
      assert.equal(typeof (bokeh as Record<string, unknown>)[name], "function", name)
    }
    assert.equal(bokeh.ApplicationHandler, bokeh.Handler)
  })
})
