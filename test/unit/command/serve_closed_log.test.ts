/**
 * A `bokeh-ts serve` whose log reader goes away (its stderr pipe closed, as when a log collector dies or
 * the output was piped into a command that ended) keeps serving and stops cleanly. It used to spin: the
 * failed write was an uncaught exception, whose report was written to the same closed pipe, and so on,
 * without end (a core busy for as long as the server ran, the event loop starved).
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { ServeProcess } from "../../support/serve_process.ts"

describe("bokeh-ts serve with its log pipe closed", () => {
  it("keeps answering requests and exits on SIGTERM", { timeout: 60_000 }, async () => {
    const server = await ServeProcess.start(["examples/sliders.ts"])
    try {
      server.child.stderr!.destroy()
      // Each request logs a line, the first of which meets the closed pipe.
      for (let i = 0; i < 5; i++) assert.equal((await fetch(server.url)).status, 200)
      server.child.kill("SIGTERM")
      assert.equal(await server.exited, 0)
    } finally {
      await server.kill()
    }
  })
})
