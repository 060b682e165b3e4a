import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { ProtocolError } from "../../../src/core/errors.ts"
import { create_message, is_message, make_msgid, message_fragments } from "../../../src/protocol/message.ts"
import type { AnyMessage, Message } from "../../../src/protocol/message.ts"
import { msgtypes } from "../../../src/protocol/msgtypes.ts"
import { Receiver } from "../../../src/protocol/receiver.ts"
import { sample_content } from "./samples.ts"

function round_trip(message: Message): AnyMessage {
  const receiver = new Receiver()
  const fragments = message_fragments(message)
  let result: AnyMessage | null = null
  fragments.forEach((fragment, i) => {
    result = receiver.consume(fragment)
    assert.equal(result === null, i < fragments.length - 1, `message completes exactly at the last fragment (${i})`)
  })
  assert.ok(!receiver.partial)
  return result!
}

describe("create_message", () => {
  it("assigns fresh, unique msgids", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => create_message("ACK", {}).header.msgid))
    assert.equal(ids.size, 10_000)
    assert.notEqual(make_msgid(), make_msgid())
  })

  it("sets reqid and num_buffers only when given", () => {
    const ack = create_message("ACK", {})
    assert.deepEqual(Object.keys(ack.header), ["msgid", "msgtype"])
    const ok = create_message("OK", {}, { reqid: "p1002" })
    assert.equal(ok.header.reqid, "p1002")
    const zero = create_message("PATCH-DOC", { events: [] }, { buffers: [] })
    assert.equal("num_buffers" in zero.header, false)
    const two = create_message(
      "PATCH-DOC",
      { events: [] },
      {
        buffers: [
          { id: "0", data: new Uint8Array(8) },
          { id: "1", data: new Uint8Array(0) },
        ],
      },
    )
    assert.equal(two.header.num_buffers, 2)
  })

  it("refuses duplicate buffer ids", () => {
    const data = new Uint8Array(1)
    assert.throws(
      () =>
        create_message(
          "PATCH-DOC",
          { events: [] },
          {
            buffers: [
              { id: "a", data },
              { id: "a", data },
            ],
          },
        ),
      ProtocolError,
    )
  })
})

describe("message_fragments", () => {
  it("gives header, metadata, content, then id text and bytes per buffer", () => {
    const data = new Uint8Array([1, 2, 3])
    const msg = create_message("PATCH-DOC", { events: [] }, { reqid: "r", buffers: [{ id: "p1065", data }] })
    const fragments = message_fragments(msg)
    assert.equal(fragments.length, 5)
    assert.deepEqual(JSON.parse(fragments[0] as string), { msgid: msg.header.msgid, msgtype: "PATCH-DOC", reqid: "r", num_buffers: 1 })
    assert.equal(fragments[1], "{}")
    assert.equal(fragments[2], '{"events":[]}') // compact content
    assert.deepEqual(JSON.parse(fragments[3] as string), { id: "p1065" })
    assert.equal(fragments[4], data) // no copy on the way out
  })

  it("computes the fragments once per message", () => {
    const msg = create_message("SERVER-INFO-REQ", {})
    assert.equal(message_fragments(msg), message_fragments(msg))
    assert.ok(Object.isFrozen(message_fragments(msg)))
  })
})

describe("round trips through the receiver", () => {
  for (const msgtype of msgtypes) {
    it(msgtype, () => {
      const msg = create_message(msgtype, sample_content[msgtype] as never, { reqid: "req-1" })
      const back = round_trip(msg)
      assert.deepEqual(back.header, msg.header)
      assert.deepEqual(back.metadata, {})
      assert.deepEqual(back.content, msg.content)
      assert.equal(back.buffers.size, 0)
      assert.ok(is_message(back, msgtype))
    })
  }

  it("a message with buffers, including an empty one", () => {
    const x = new Float64Array([0, 4.1887902047863905, 8.377580409572781, 12.566370614359172])
    const buffers = [
      { id: "p1065", data: new Uint8Array(x.buffer) },
      { id: "empty", data: new Uint8Array(0) },
      { id: "2", data: new Uint8Array([255, 0, 7]) },
    ]
    const msg = create_message("PULL-DOC-REPLY", { doc: { roots: [] } }, { reqid: "q", buffers })
    const back = round_trip(msg)
    assert.equal(back.header.num_buffers, 3)
    assert.deepEqual([...back.buffers.keys()], ["p1065", "empty", "2"])
    for (const { id, data } of buffers) assert.deepEqual(back.buffers.get(id), data)
    assert.deepEqual(new Float64Array(back.buffers.get("p1065")!.buffer), x)
  })

  it("is_message narrows the content type", () => {
    const back = round_trip(create_message("ERROR", { text: "t", traceback: null }))
    if (is_message(back, "ERROR")) assert.equal(back.content.traceback, null)
    else assert.fail("not an ERROR")
  })
})
