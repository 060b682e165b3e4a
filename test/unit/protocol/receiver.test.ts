import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, it } from "node:test"

import { ErrorCodes, ProtocolError } from "../../../src/core/errors.ts"
import type { ErrorCode } from "../../../src/core/errors.ts"
import { CloseCodes, close_code_for } from "../../../src/protocol/close_codes.ts"
import { create_message, message_fragments } from "../../../src/protocol/message.ts"
import type { AnyMessage } from "../../../src/protocol/message.ts"
import { Receiver } from "../../../src/protocol/receiver.ts"

type Frame = { dir: "C->S" | "S->C"; text?: string; hex?: string }

function load_frames(name: string): Frame[] {
  return JSON.parse(readFileSync(new URL(`../../fixtures/vectors/${name}`, import.meta.url), "utf8")).frames
}

/** Feeds one direction of a recording to a fresh receiver and collects the messages. */
function replay(frames: Frame[], dir: Frame["dir"]): AnyMessage[] {
  const receiver = new Receiver()
  const out: AnyMessage[] = []
  for (const frame of frames.filter((f) => f.dir === dir)) {
    const message = receiver.consume(frame.text ?? Buffer.from(frame.hex!, "hex"))
    if (message !== null) out.push(message)
  }
  assert.ok(!receiver.partial, "the recording ends on a message boundary")
  return out
}

const heads = (messages: AnyMessage[]) => messages.map((m) => ({ ...m.header }))

describe("recorded Python traffic", () => {
  it("vector 02: echo app, pull, patch, server info", () => {
    const frames = load_frames("02_echo_frames.json")
    const from_server = replay(frames, "S->C")
    assert.deepEqual(heads(from_server), [
      { msgid: "p1007", msgtype: "ACK" },
      { msgid: "p1008", msgtype: "PULL-DOC-REPLY", reqid: "p1001" },
      { msgid: "p1009", msgtype: "PATCH-DOC" },
      { msgid: "p1010", msgtype: "OK", reqid: "p1002" },
      { msgid: "p1011", msgtype: "SERVER-INFO-REPLY", reqid: "p1003" },
    ])
    const [ack, reply, patch, ok, info] = from_server
    assert.deepEqual(ack!.content, {})
    assert.deepEqual(ok!.content, {})
    assert.equal((reply!.content as { doc: { title: string } }).doc.title, "Echo")
    assert.deepEqual(patch!.content, { events: [{ kind: "ModelChanged", model: { id: "p1005" }, attr: "text", new: "value: 42" }] })
    assert.deepEqual(info!.content, { version_info: { bokeh: "3.7.0.dev1", server: "3.7.0.dev1" } })
    for (const m of from_server) assert.deepEqual(m.metadata, {})

    const from_client = replay(frames, "C->S")
    assert.deepEqual(heads(from_client), [
      { msgid: "p1001", msgtype: "PULL-DOC-REQ" },
      { msgid: "p1002", msgtype: "PATCH-DOC" },
      { msgid: "p1003", msgtype: "SERVER-INFO-REQ" },
    ])
    assert.deepEqual(from_client[1]!.content, { events: [{ kind: "ModelChanged", model: { id: "p1004" }, attr: "value", new: 42 }] })
  })

  it("vector 03: a PATCH-DOC with two binary float64 buffers", () => {
    const from_server = replay(load_frames("03_sliders_frames.json"), "S->C")
    assert.deepEqual(
      from_server.map((m) => m.header.msgtype),
      ["ACK", "PULL-DOC-REPLY", "PATCH-DOC", "OK"],
    )
    const patch = from_server[2]!
    assert.deepEqual(patch.header, { msgid: "p1064", msgtype: "PATCH-DOC", num_buffers: 2 })
    assert.deepEqual([...patch.buffers.keys()], ["p1065", "p1066"])
    const x = patch.buffers.get("p1065")!
    const y = patch.buffers.get("p1066")!
    assert.equal(x.byteOffset, 0)
    assert.equal(x.byteLength, 32)
    assert.deepEqual([...new Float64Array(x.buffer)], [0, 4.1887902047863905, 8.377580409572781, 12.566370614359172])
    assert.deepEqual([...new Float64Array(y.buffer)], [0, -1.7320508075688765, 1.7320508075688783, -9.797174393178826e-16])
    const event = (patch.content as { events: Array<{ kind: string; data: { entries: unknown[] } }> }).events[0]!
    assert.equal(event.kind, "ColumnDataChanged")
    assert.deepEqual(event.data.entries[0], [
      "x",
      { type: "ndarray", array: { type: "bytes", data: { id: "p1065" } }, shape: [4], dtype: "float64", order: "little" },
    ])
    assert.deepEqual(from_server[3]!.header, { msgid: "p1067", msgtype: "OK", reqid: "p1019" })
  })

  it("our fragments of the recorded messages parse back to the same messages", () => {
    for (const m of replay(load_frames("03_sliders_frames.json"), "S->C")) {
      const receiver = new Receiver()
      const back = message_fragments(m)
        .map((f) => receiver.consume(f))
        .at(-1)!
      assert.deepEqual(back, m)
    }
  })
})

describe("binary fragments", () => {
  it("are copied into their own aligned ArrayBuffer", () => {
    const receiver = new Receiver()
    const pool = Buffer.alloc(64, 0xee)
    const view = pool.subarray(3, 3 + 16) // unaligned view into a shared buffer
    new Float64Array([1.5, -2]).forEach((v, i) => view.writeDoubleLE(v, i * 8))
    for (const f of ['{"msgid": "m", "msgtype": "PATCH-DOC", "num_buffers": 1}', "{}", '{"events": []}', '{"id": "0"}']) receiver.consume(f)
    const message = receiver.consume(view)!
    const bytes = message.buffers.get("0")!
    pool.fill(0) // later reuse of the pool must not change the message
    assert.equal(bytes.constructor, Uint8Array)
    assert.equal(bytes.byteOffset, 0)
    assert.equal(bytes.buffer.byteLength, 16)
    assert.deepEqual([...new Float64Array(bytes.buffer)], [1.5, -2])
  })

  it("may be ArrayBuffers", () => {
    const receiver = new Receiver()
    for (const f of ['{"msgid": "m", "msgtype": "PATCH-DOC", "num_buffers": 1}', "{}", '{"events": []}', '{"id": "0"}']) receiver.consume(f)
    assert.deepEqual(receiver.consume(new Uint8Array([1, 2]).buffer)!.buffers.get("0"), new Uint8Array([1, 2]))
  })
})

const H = (header: object) => JSON.stringify(header)
const PATCH1 = H({ msgid: "m", msgtype: "PATCH-DOC", num_buffers: 1 })
const bin = new Uint8Array([1, 2, 3])

/** Malformed sequences: the error code and the close code a server must use. */
const malformed: Array<[string, Array<string | Uint8Array>, ErrorCode, number]> = [
  ["binary where the header is expected", [bin], "BK_ERR_FRAGMENT_ORDER", 10001],
  ["binary where metadata is expected", [H({ msgid: "m", msgtype: "ACK" }), bin], "BK_ERR_FRAGMENT_ORDER", 10001],
  ["binary where content is expected", [H({ msgid: "m", msgtype: "ACK" }), "{}", bin], "BK_ERR_FRAGMENT_ORDER", 10001],
  ["binary where a buffer header is expected", [PATCH1, "{}", '{"events":[]}', bin], "BK_ERR_FRAGMENT_ORDER", 10001],
  ["text where a buffer payload is expected", [PATCH1, "{}", '{"events":[]}', '{"id":"0"}', '{"id":"1"}'], "BK_ERR_FRAGMENT_ORDER", 10001],
  ["a binary after a complete message", [H({ msgid: "m", msgtype: "ACK" }), "{}", "{}", bin], "BK_ERR_FRAGMENT_ORDER", 10001],
  ["header not JSON", ["{msgid"], "BK_ERR_BAD_HEADER", 10000],
  ["header not an object", ["[1]"], "BK_ERR_BAD_HEADER", 10000],
  ["header without msgid", [H({ msgtype: "ACK" })], "BK_ERR_BAD_HEADER", 10000],
  ["header with an empty msgid", [H({ msgid: "", msgtype: "ACK" })], "BK_ERR_BAD_HEADER", 10000],
  ["header without msgtype", [H({ msgid: "m" })], "BK_ERR_BAD_HEADER", 10000],
  ["header with a numeric msgtype", [H({ msgid: "m", msgtype: 3 })], "BK_ERR_BAD_HEADER", 10000],
  ["unknown msgtype", [H({ msgid: "m", msgtype: "PULL-DOC" })], "BK_ERR_UNKNOWN_MESSAGE_TYPE", 10000],
  ["lower-case msgtype", [H({ msgid: "m", msgtype: "ack" })], "BK_ERR_UNKNOWN_MESSAGE_TYPE", 10000],
  ["negative num_buffers", [H({ msgid: "m", msgtype: "ACK", num_buffers: -1 })], "BK_ERR_PROTOCOL", 10001],
  ["fractional num_buffers", [H({ msgid: "m", msgtype: "ACK", num_buffers: 1.5 })], "BK_ERR_PROTOCOL", 10001],
  ["string num_buffers", [H({ msgid: "m", msgtype: "ACK", num_buffers: "1" })], "BK_ERR_PROTOCOL", 10001],
  ["null num_buffers", [H({ msgid: "m", msgtype: "ACK", num_buffers: null })], "BK_ERR_PROTOCOL", 10001],
  ["numeric reqid", [H({ msgid: "m", msgtype: "OK", reqid: 5 })], "BK_ERR_PROTOCOL", 10001],
  ["metadata not JSON", [H({ msgid: "m", msgtype: "ACK" }), "{"], "BK_ERR_BAD_JSON", 10001],
  ["content not JSON", [H({ msgid: "m", msgtype: "ACK" }), "{}", "nope"], "BK_ERR_BAD_JSON", 10001],
  ["content not an object", [H({ msgid: "m", msgtype: "ACK" }), "{}", "[]"], "BK_ERR_PROTOCOL", 10001],
  ["metadata not an object", [H({ msgid: "m", msgtype: "ACK" }), "null"], "BK_ERR_PROTOCOL", 10001],
  ["PATCH-DOC without events", [H({ msgid: "m", msgtype: "PATCH-DOC" }), "{}", "{}"], "BK_ERR_PROTOCOL", 10001],
  ["PULL-DOC-REPLY without doc", [H({ msgid: "m", msgtype: "PULL-DOC-REPLY" }), "{}", '{"doc":null}'], "BK_ERR_PROTOCOL", 10001],
  ["ERROR without text", [H({ msgid: "m", msgtype: "ERROR" }), "{}", '{"traceback":null}'], "BK_ERR_PROTOCOL", 10001],
  ["SERVER-INFO-REPLY without version_info", [H({ msgid: "m", msgtype: "SERVER-INFO-REPLY" }), "{}", "{}"], "BK_ERR_PROTOCOL", 10001],
  ["buffer header not JSON", [PATCH1, "{}", '{"events":[]}', "id"], "BK_ERR_BAD_JSON", 10001],
  ["buffer header with an extra key", [PATCH1, "{}", '{"events":[]}', '{"id":"0","n":1}'], "BK_ERR_PROTOCOL", 10001],
  ["buffer header without id", [PATCH1, "{}", '{"events":[]}', '{"ID":"0"}'], "BK_ERR_PROTOCOL", 10001],
  ["buffer header with a numeric id", [PATCH1, "{}", '{"events":[]}', '{"id":0}'], "BK_ERR_PROTOCOL", 10001],
  ["buffer header that is an array", [PATCH1, "{}", '{"events":[]}', '["id"]'], "BK_ERR_PROTOCOL", 10001],
  [
    "a buffer id used twice",
    [H({ msgid: "m", msgtype: "PATCH-DOC", num_buffers: 2 }), "{}", '{"events":[]}', '{"id":"0"}', bin, '{"id":"0"}'],
    "BK_ERR_PROTOCOL",
    10001,
  ],
]

describe("malformed sequences", () => {
  for (const [name, fragments, code, close] of malformed) {
    it(`${name} → ${code}, close ${close}`, () => {
      const receiver = new Receiver()
      const last = fragments.length - 1
      for (const f of fragments.slice(0, last)) receiver.consume(f)
      assert.throws(
        () => receiver.consume(fragments[last]!),
        (error: unknown) => error instanceof ProtocolError && error.code === code && close_code_for(error) === close,
      )
      // The partial message is dropped; the receiver starts over at a header.
      assert.ok(!receiver.partial)
      const ack = message_fragments(create_message("ACK", {}))
        .map((f) => receiver.consume(f))
        .at(-1)
      assert.equal(ack?.header.msgtype, "ACK")
    })
  }

  it("non-fragment values are ProtocolErrors too", () => {
    assert.throws(() => new Receiver().consume(42 as never), ProtocolError)
    assert.throws(() => new Receiver().consume(null as never), ProtocolError)
  })
})

describe("close_code_for", () => {
  it("maps receiver errors and everything else", () => {
    assert.equal(close_code_for(new ProtocolError("BK_ERR_MESSAGE_TOO_BIG", "x")), CloseCodes.MESSAGE_TOO_BIG)
    assert.equal(close_code_for(new ProtocolError("BK_ERR_TOO_MANY_BUFFERS", "x")), 10001)
    assert.equal(close_code_for(new Error("handler crashed")), CloseCodes.SERVER_ERROR)
    assert.equal(close_code_for("not even an error"), 10000)
  })
})

// mulberry32: small, seeded, good enough to explore the state machine reproducibly.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe("fuzzing", () => {
  it("random fragment sequences only ever raise ProtocolError", () => {
    const random = rng(0xb0ce)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
    const msgtypes = ["ACK", "OK", "ERROR", "PULL-DOC-REQ", "PULL-DOC-REPLY", "PUSH-DOC", "PATCH-DOC", "SERVER-INFO-REQ", "SERVER-INFO-REPLY", "NOPE", ""]
    const texts = () => [
      H({
        msgid: pick(["m1", "", 7]),
        msgtype: pick(msgtypes),
        ...(random() < 0.5 ? { num_buffers: pick([0, 1, 2, 3, -1, 0.5, "1", null]) } : {}),
        ...(random() < 0.3 ? { reqid: pick(["r", 1]) } : {}),
      }),
      "{}",
      "[]",
      "null",
      "1",
      '"s"',
      "",
      "{",
      "\u0000",
      '{"__proto__": {"x": 1}}',
      '{"events": []}',
      '{"events": {}}',
      '{"doc": {}}',
      '{"text": "t", "traceback": null}',
      '{"version_info": {"bokeh": "3", "server": "3"}}',
      '{"id": "0"}',
      '{"id": "1"}',
      '{"id": 0}',
      '{"id": "0", "x": 1}',
      "[".repeat(5000),
    ]
    const binary = () => {
      const pool = Buffer.alloc(64)
      const start = Math.floor(random() * 8)
      return pick([new Uint8Array(Math.floor(random() * 24)), pool.subarray(start, start + Math.floor(random() * 40)), new ArrayBuffer(3)])
    }
    const valid = () =>
      message_fragments(
        create_message(
          "PATCH-DOC",
          { events: [] },
          { buffers: Array.from({ length: Math.floor(random() * 3) }, (_, i) => ({ id: `${i}`, data: new Uint8Array(i) })) },
        ),
      )

    const counts = new Map<string, number>()
    let messages = 0
    for (let run = 0; run < 3000; run++) {
      const receiver = new Receiver()
      // Start from a valid message now and then, mutated, so deep states are reached often.
      const seq: Array<string | Uint8Array | ArrayBuffer> = random() < 0.5 ? [...valid()] : []
      for (let i = Math.floor(random() * 8); i > 0; i--) {
        const item = random() < 0.7 ? pick(texts()) : binary()
        seq.splice(Math.floor(random() * (seq.length + 1)), random() < 0.3 ? 1 : 0, item)
      }
      for (const fragment of seq) {
        try {
          const message = receiver.consume(fragment)
          if (message !== null) {
            messages += 1
            assert.equal(message.buffers.size, message.header.num_buffers ?? 0)
          }
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error
          assert.ok(error.code in ErrorCodes)
          assert.ok([10000, 10001].includes(close_code_for(error)))
          counts.set(error.code, (counts.get(error.code) ?? 0) + 1)
        }
      }
    }
    // The fuzzer reached every receiver error and still completed messages.
    assert.ok(messages > 100)
    for (const code of ["BK_ERR_FRAGMENT_ORDER", "BK_ERR_BAD_HEADER", "BK_ERR_BAD_JSON", "BK_ERR_UNKNOWN_MESSAGE_TYPE", "BK_ERR_PROTOCOL"])
      assert.ok((counts.get(code) ?? 0) > 0, `fuzzing reached ${code}`)
  })
})
