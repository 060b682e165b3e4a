import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { pull_session } from "../../../src/client/session.ts"
import type { Document } from "../../../src/document/document.ts"
import { Column, Div, Slider } from "../../../src/models/main.ts"
import { Server } from "../../../src/server/server.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import type { RequestArguments } from "../../../src/util/request.ts"

set_log_level("none")

function echo(doc: Document): void {
  const request = (doc.session_context as unknown as { request: { arguments: RequestArguments } }).request
  const slider = new Slider({ name: "in", title: "in", start: 0, end: 100, value: 0 })
  const div = new Div({ name: "out", text: `args: ${Object.keys(request.arguments).join(",")}` })
  slider.on_change("value", (_a, _o, v) => {
    div.text = `value: ${v}`
  })
  doc.add_root(new Column({ children: [slider, div] }))
}

describe("smoke", () => {
  let server: Server
  before(async () => {
    server = new Server({ "/echo": echo }, { port: 0, address: "127.0.0.1" })
    await server.start()
  })
  after(() => server.stop())

  it("pulls, patches, round-trips", async () => {
    await using session = await pull_session({ url: `http://127.0.0.1:${server.port}/echo`, arguments: { N: "10" } })
    const doc = session.document!
    const div = doc.get_model_by_name("out") as Div
    assert.equal(div.text, "args: N")
    ;(doc.get_model_by_name("in") as Slider).value = 42
    await session.force_roundtrip()
    assert.equal(div.text, "value: 42")
  })
})
