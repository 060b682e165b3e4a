/** Document.on_message: handlers for MessageSent events from peers, awaited like on_event callbacks. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { Div } from "../../../src/models/main.ts"

describe("on_message", () => {
  it("async handlers finish before the patch that delivered the message is applied", async () => {
    const doc = new Document()
    const div = new Div({ text: "" })
    doc.add_root(div)
    doc.on_message("custom", async (data) => {
      await new Promise((r) => setImmediate(r)) // a later turn of the event loop: work that is really asynchronous
      div.text = `got ${JSON.stringify(data)}`
    })
    await doc.apply_json_patch({ events: [{ kind: "MessageSent", msg_type: "custom", msg_data: { n: 1 } }] }, new Map(), "peer")
    assert.equal(div.text, 'got {"n":1}')
  })
})
