import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { pull_session } from "../../../src/client/session.ts"
import { Div, Slider, Column } from "../../../src/models/main.ts"
import { Peer } from "./support/peer.ts"

describe("smoke", () => {
  let peer: Peer
  before(async () => {
    peer = await Peer.start({
      apps: {
        "/echo": (doc, request) => {
          const slider = new Slider({ name: "in", title: "in", start: 0, end: 100, value: 0 })
          const div = new Div({ name: "out", text: `args: ${Object.keys(request.arguments).join(",")}` })
          slider.on_change("value", (_a, _o, v) => {
            div.text = `value: ${v}`
          })
          doc.add_root(new Column({ children: [slider, div] }))
        },
      },
    })
  })
  after(() => peer.stop())

  it("pulls, patches, round-trips", async () => {
    await using session = await pull_session({ url: peer.url("/echo"), arguments: { N: "10" } })
    const doc = session.document!
    const div = doc.get_model_by_name("out") as Div
    assert.equal(div.text, "args: N")
    ;(doc.get_model_by_name("in") as Slider).value = 42
    await session.force_roundtrip()
    assert.equal(div.text, "value: 42")
  })
})
