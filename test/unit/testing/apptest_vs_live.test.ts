/**
 * The same scenarios, written once, run two ways: with `drive_app` against a live server (real sockets on
 * 127.0.0.1) and with AppTest in-process. Both must end with the same document state (every model and
 * value; ids compared by position), so what an AppTest shows is what a served app does.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { build_single_handler_applications } from "../../../src/command/util.ts"
import { ButtonClick } from "../../../src/core/bokeh_events.ts"
import type { Server } from "../../../src/server/server.ts"
import { AppTest, document_state, drive_app } from "../../../src/testing/index.ts"
import { start_server } from "../server/helpers.ts"

type Step = { readonly set: string; readonly values: Record<string, unknown> } | { readonly click: string }

const scenarios: Record<string, readonly Step[]> = {
  sliders: [
    { set: "freq", values: { value: 2.5 } },
    { set: "amplitude", values: { value: -1.5 } },
    { set: "title", values: { value: "both ways" } },
    { set: "offset", values: { value: 0.7 } },
  ],
  button: [{ click: "button" }, { click: "button" }, { click: "button" }],
}

describe("drive_app on a live server and AppTest in-process end in the same state", () => {
  let server: Server
  let base: string

  before(async () => {
    server = await start_server(build_single_handler_applications(Object.keys(scenarios).map((name) => `examples/${name}.ts`)))
    base = `http://127.0.0.1:${server.port}`
  })
  after(async () => {
    await server?.stop()
  })

  for (const [app, steps] of Object.entries(scenarios)) {
    it(`${app}: ${steps.length} steps`, async () => {
      await using live = await drive_app({ url: `${base}/${app}` })
      for (const step of steps) {
        if ("set" in step) live.set(step.set, step.values)
        else live.document.send_event(new ButtonClick({ model: live.get(step.click) }))
        await live.sync()
      }

      await using at = await AppTest.from_file(`examples/${app}.ts`)
      for (const step of steps) {
        if ("set" in step) await at.set(step.set, step.values)
        else await at.click(step.click)
      }

      const expected = document_state(live.document)
      assert.deepEqual(document_state(at.document), expected)
      assert.deepEqual(document_state(at.browser_document), expected)
      // And the live server's own session document agrees with the client that drove it.
      const session = server.core.application_contexts.find((c) => c.url === `/${app}`)!.get_session(live.session.id)!
      assert.deepEqual(document_state(session.document), expected)
    })
  }
})
