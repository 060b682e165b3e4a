/**
 * Replays the recorded Python bokeh.client traffic (test/fixtures/vectors 02–05) against our Server
 * running ports of the recorded apps (test/fixtures/apps/py_*.ts), and checks our replies give Python's
 * client what it relies on.
 *
 * Each connection is opened the way Tornado's websocket client did in the recording: the recorded
 * request head verbatim (path and query, `Sec-Websocket-Key`, `User-Agent: Tornado/6.2`, no Origin,
 * `Sec-Websocket-Protocol: bokeh,<token>` with no space), except two substitutions: the Host header
 * names our port, and the token is minted fresh, because the recorded ones have expired. The fresh
 * token has the Python client's payload shape, `{"session_id": ..., "session_expiry": ...}` with no
 * extra payload. The client frames are then sent verbatim, and where they name a model by Python's id
 * (PATCH-DOC) that id is replaced by ours, found by matching our PULL-DOC-REPLY with the recorded one.
 */
import assert from "node:assert/strict"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"

import { Application } from "../../src/application/application.ts"
import { ScriptHandler } from "../../src/application/handlers/script.ts"
import { HasProps } from "../../src/core/has_props.ts"
import { Document } from "../../src/document/document.ts"
import "../../src/models/main.ts"
import type { Server } from "../../src/server/server.ts"
import { ManualClock } from "../../src/testing/manual_clock.ts"
import { generate_jwt_token, generate_session_id } from "../../src/util/token.ts"
import { start_server } from "../unit/server/helpers.ts"
import { B } from "./oracle.ts"
import { PyReceiver, type PyMessage } from "./py_receiver.ts"
import { load_fixture, recorded_messages, type Fixture, type RecordedMessage } from "./recorded.ts"
import { TornadoWs, accept_value } from "./tornado_ws.ts"
import { compare_wire, ndarray_values } from "./wire_compare.ts"

B.set_log_level("error")

const apps_dir = new URL("../fixtures/apps/", import.meta.url).pathname
const script_app = (file: string): Application => new Application(new ScriptHandler({ filename: join(apps_dir, file) }))

let server: Server
// Session callbacks run on this clock: the stream app's periodic callback ticks when vector 04 says (its
// recording has both streamed patches after the pull reply; on real time a busy machine could delay the pull
// past the first tick, whose patch would then come before the reply, as it may with Python's server).
const clock = new ManualClock()

/** One replayed connection: the socket, a Python-rules receiver, and Python's id → ours. */
interface Replay {
  readonly ws: TornadoWs
  readonly rx: PyReceiver
  readonly ids: Map<string, string>
}

/** Opens connection `conn` of a recording with its recorded request head (see the file comment). */
async function open(fx: Fixture, conn: number, token: string): Promise<Replay> {
  const recorded = fx.handshakes.find((h) => h.conn === conn)!
  const request = recorded.request.map((line) => {
    if (/^Sec-Websocket-Protocol: bokeh,/.test(line)) return `Sec-Websocket-Protocol: bokeh,${token}`
    if (/^Host: /.test(line)) return `Host: 127.0.0.1:${server.port}`
    return line
  })
  assert.ok(!recorded.request.some((l) => /^Origin:/i.test(l)), "Python's client sends no Origin header")
  const { ws, response } = await TornadoWs.open(server.port, request)
  // What Tornado's client checks (WebSocketProtocol13._process_server_headers), and the subprotocol bokeh expects.
  assert.equal(response.status, 101)
  assert.equal(response.headers.get("upgrade")?.[0]?.toLowerCase(), "websocket")
  assert.equal(response.headers.get("connection")?.[0]?.toLowerCase(), "upgrade")
  const key = recorded.request.find((l) => l.startsWith("Sec-Websocket-Key: "))!.slice(19)
  const recorded_accept = recorded.response.find((l) => l.startsWith("Sec-Websocket-Accept: "))!.slice(22)
  assert.equal(accept_value(key), recorded_accept, "the helper computes accept values as Tornado did")
  assert.deepEqual(response.headers.get("sec-websocket-accept"), [recorded_accept])
  assert.equal(response.headers.get("sec-websocket-extensions"), undefined, "Tornado raises on an extension it didn't offer")
  assert.deepEqual(response.headers.get("sec-websocket-protocol"), ["bokeh"])
  return { ws, rx: new PyReceiver(ws), ids: new Map() }
}

/** Sends a recorded client message's text frames verbatim, after replacing Python's model ids by ours. */
function send(r: Replay, m: RecordedMessage): void {
  assert.equal(m.buffers.size, 0, "the recorded clients send no binary buffers")
  m.texts.forEach((text, i) => {
    const translated = i === 2 ? text.replace(/"id":"(p\d+)"/g, (whole, py: string) => (r.ids.has(py) ? `"id":"${r.ids.get(py)!}"` : whole)) : text
    r.ws.send_text(translated)
  })
}

/** ACK comes first, with empty metadata and content, and no reqid. */
async function expect_ack(r: Replay): Promise<void> {
  const ack = await r.rx.next()
  assert.equal(ack.header.msgtype, "ACK")
  assert.equal(ack.header.reqid, undefined)
  assert.deepEqual([ack.metadata, ack.content], [{}, {}])
}

/**
 * Sends the recorded PULL-DOC-REQ and checks the reply against the recorded one: the reqid, numeric
 * arrays as binary buffers (what Python >= 3.9 reads; the recorded 3.7 server inlined base64), the
 * same models and values, and a document that our Document and BokehJS load. Fills `r.ids`.
 */
async function pull(r: Replay, req: RecordedMessage, recorded_reply: RecordedMessage): Promise<PyMessage> {
  send(r, req)
  const [reply, ...rest] = (await r.rx.until_reply(req.header.msgid)).reverse()
  assert.deepEqual(rest, [], "nothing between the request and its reply")
  assert.equal(reply!.header.msgtype, "PULL-DOC-REPLY")
  assert.equal(reply!.header.reqid, req.header.msgid)
  const text = JSON.stringify(reply!.content)
  assert.equal(reply!.header.num_buffers ?? 0, reply!.buffers.size)
  assert.equal((text.match(/"type":"ndarray"/g) ?? []).length, reply!.buffers.size, "every ndarray's bytes in a binary buffer")
  assert.ok(!/"type":"ndarray","array":\[/.test(text), "no ndarray as a plain list")
  const ours = reply!.content["doc"] as Record<string, unknown>
  const theirs = recorded_reply.content["doc"] as Record<string, unknown>
  assert.equal(ours["title"], theirs["title"])
  const cmp = compare_wire(theirs["roots"], ours["roots"], { ours: reply!.buffers }, r.ids)
  assert.deepEqual(cmp.problems, [])
  const doc = Document.from_json(ours, reply!.buffers)
  // What Python sends and we leave out, the receiver fills from its default, which must be Python's value.
  for (const { id, attr, theirs: value } of cmp.omitted) {
    const model = doc.get_model_by_id(id) as unknown as Record<string, unknown>
    assert.deepEqual(JSON.parse(JSON.stringify(model[attr])), value, `${id}.${attr}`)
  }
  // What we send and Python didn't (values set explicitly that Python omits as equal to the default, e.g.
  // Slider.step 1, Figure.width 600): Python's client sets them as given, so they must be the defaults.
  for (const { id, attr, what } of cmp.extra_attributes) {
    const model = doc.get_model_by_id(id) as unknown as Record<string, unknown>
    const prop = (model.constructor as typeof HasProps).__props__[attr]!
    assert.deepEqual(JSON.parse(JSON.stringify(model[attr])), prop.default, `${what} is sent with a non-default value Python doesn't send`)
  }
  B.Document.from_json(JSON.parse(JSON.stringify(ours)), undefined, new Map([...reply!.buffers].map(([id, bytes]) => [id, Uint8Array.from(bytes).buffer])))
  return reply!
}

/** Sends a recorded PATCH-DOC; returns the server PATCH-DOCs that came before its OK. */
async function patch(r: Replay, req: RecordedMessage): Promise<PyMessage[]> {
  send(r, req)
  const got = await r.rx.until_reply(req.header.msgid)
  const ok = got.pop()!
  assert.equal(ok.header.msgtype, "OK", JSON.stringify(ok.content))
  assert.deepEqual(ok.content, {})
  assert.ok(
    got.every((m) => m.header.msgtype === "PATCH-DOC"),
    got.map((m) => m.header.msgtype).join(),
  )
  return got
}

/** All events of some PATCH-DOCs, in order (we may batch several events in one message, Python sends one each). */
const events_of = (ms: ReadonlyArray<{ content: Record<string, unknown> }>): Array<Record<string, unknown>> =>
  ms.flatMap((m) => m.content["events"] as Array<Record<string, unknown>>)

/**
 * Python's `ClientSession.close()`: close frame 1000 "closed"; the server answers 1000 and ends the
 * connection. (Tornado answered with an empty reason, we echo "closed": Tornado's client ignores it.)
 * Messages already under way when the close arrives come first: they are read past, to the close frame.
 */
async function close(r: Replay, fx: Fixture, conn: number): Promise<void> {
  const recorded = fx.closes.find((c) => c.conn === conn && c.dir === "C->S")!
  r.ws.send_close(recorded.code, recorded.reason)
  // Frames the server sent before it read our close (a periodic callback's next patch) may come first.
  let frame = await r.rx.raw_frame()
  while (frame.kind === "text" || frame.kind === "binary") frame = await r.rx.raw_frame()
  const expected = fx.closes.find((c) => c.conn === conn && c.dir === "S->C")!
  assert.deepEqual(frame.kind === "close" ? frame.code : frame, expected.code)
  await r.ws.ended
}

describe("recorded Python bokeh.client traffic replayed against our server", () => {
  before(async () => {
    server = await start_server(
      { "/echo": script_app("py_echo.ts"), "/sliders": script_app("py_sliders.ts"), "/stream": script_app("py_stream.ts") },
      { scheduler: clock },
    )
  })
  after(async () => {
    await server.stop()
  })

  it("vector 02: pull_session(echo, N=10), slider.value = 42, force_roundtrip, close", async () => {
    const fx = load_fixture("02_echo_frames.json")
    const [pull_req, patch_req, info_req, ...more] = recorded_messages(fx, 1, "C->S")
    const [, pull_reply, server_patch, , info_reply] = recorded_messages(fx, 1, "S->C")
    assert.deepEqual(
      [pull_req!.header.msgtype, patch_req!.header.msgtype, info_req!.header.msgtype, more.length],
      ["PULL-DOC-REQ", "PATCH-DOC", "SERVER-INFO-REQ", 0],
    )

    const r = await open(fx, 1, generate_jwt_token(generate_session_id()))
    await expect_ack(r)
    await pull(r, pull_req!, pull_reply!)

    // The recorded patch names the slider p1004, Python's id: translated to our slider's id.
    assert.match(patch_req!.texts[2]!, /"model":\{"id":"p1004"\}/)
    const patches = await patch(r, patch_req!)
    const recorded_events = events_of([server_patch!])
    const cmp = compare_wire(recorded_events, events_of(patches), {}, r.ids)
    assert.deepEqual(cmp.problems, [])
    assert.deepEqual(
      events_of(patches).map((e) => e["new"]),
      ["value: 42"],
    )

    send(r, info_req!)
    const [info] = await r.rx.until_reply(info_req!.header.msgid)
    assert.equal(info!.header.msgtype, "SERVER-INFO-REPLY")
    assert.deepEqual(Object.keys(info!.content["version_info"] as object).sort(), Object.keys(info_reply!.content["version_info"] as object).sort())
    await close(r, fx, 1)
  })

  it("vector 03: pull_session(sliders, N=4), amplitude.value = 2.0: ColumnDataChanged as float64 ndarrays in binary buffers", async () => {
    const fx = load_fixture("03_sliders_frames.json")
    const [pull_req, patch_req] = recorded_messages(fx, 1, "C->S")
    const [, pull_reply, server_patch] = recorded_messages(fx, 1, "S->C")

    const r = await open(fx, 1, generate_jwt_token(generate_session_id()))
    await expect_ack(r)
    await pull(r, pull_req!, pull_reply!)

    const patches = await patch(r, patch_req!)
    assert.equal(patches.length, 1)
    const [theirs] = events_of([server_patch!])
    const [ours, ...others] = events_of(patches)
    assert.deepEqual(others, [])
    // `source.data = {...}` is a ColumnDataChanged of the whole column set (cols written out as null), as Python sends it.
    assert.deepEqual(Object.keys(ours!), Object.keys(theirs!))
    assert.deepEqual([ours!["kind"], ours!["attr"], ours!["cols"]], [theirs!["kind"], theirs!["attr"], theirs!["cols"]])
    assert.deepEqual([ours!["kind"], ours!["attr"], ours!["cols"]], ["ColumnDataChanged", "data", null])
    const cmp = compare_wire(
      [theirs!["model"], theirs!["data"]],
      [ours!["model"], ours!["data"]],
      { theirs: server_patch!.buffers, ours: patches[0]!.buffers },
      r.ids,
    )
    assert.deepEqual(cmp.problems, [])
    // The arrays travel as float64 ndarrays in binary buffers, each referenced by the content.
    const m = patches[0]!
    assert.equal(m.header.num_buffers, 2)
    assert.equal(m.buffers.size, 2)
    for (const id of m.buffers.keys()) assert.ok(JSON.stringify(m.content).includes(`{"type":"bytes","data":{"id":"${id}"}}`))
    assert.match(JSON.stringify(ours!["data"]), /^\{"type":"map","entries":\[\["x",\{"type":"ndarray".*"dtype":"float64"/)
    await close(r, fx, 1)
  })

  it("vector 04: pull_session(stream, period=200, rows=3): ColumnsStreamed with binary buffers", async () => {
    const fx = load_fixture("04_stream_frames.json")
    const [pull_req] = recorded_messages(fx, 1, "C->S")
    const [, pull_reply, ...streamed] = recorded_messages(fx, 1, "S->C")
    assert.equal(streamed.length, 2)

    const r = await open(fx, 1, generate_jwt_token(generate_session_id()))
    await expect_ack(r)
    await pull(r, pull_req!, pull_reply!)
    // Two periods (period=200 in the recorded request): two ticks, each streaming 3 rows.
    await clock.advance(400)

    const got: PyMessage[] = []
    while (events_of(got).length < streamed.length) got.push(await r.rx.next())
    assert.ok(got.every((m) => m.header.msgtype === "PATCH-DOC"))
    // Buffer ids are scoped to their message: keep each event with its message's buffers.
    const ours = got.flatMap((m) => events_of([m]).map((e) => [e, m.buffers] as const)).slice(0, 2)
    ours.forEach(([event, ours_buffers], i) => {
      const theirs = events_of([streamed[i]!])[0]!
      assert.equal(event["kind"], "ColumnsStreamed")
      assert.deepEqual(Object.keys(event).sort(), Object.keys(theirs).sort())
      assert.equal(event["rollover"], theirs["rollover"])
      assert.deepEqual((event["model"] as { id: string }).id, r.ids.get((theirs["model"] as { id: string }).id))
      const cols = (rep: Record<string, unknown>) => new Map((rep["data"] as { entries: Array<[string, Record<string, unknown>]> }).entries)
      const [t_ours, t_theirs] = [cols(event), cols(theirs)]
      assert.deepEqual([...t_ours.keys()], [...t_theirs.keys()])
      // t is a counter: identical to the recording; y is random on both sides, so only its shape is compared.
      assert.deepEqual(ndarray_values(t_ours.get("t")!, ours_buffers), ndarray_values(t_theirs.get("t")!, streamed[i]!.buffers))
      for (const [k, rep] of t_ours) {
        assert.deepEqual(
          [rep["type"], rep["dtype"], rep["shape"], (rep["array"] as { data: unknown }).data instanceof Object],
          ["ndarray", "float64", [3], true],
          k,
        )
      }
    })
    for (const m of got) assert.equal(m.header.num_buffers ?? 0, m.buffers.size)
    await close(r, fx, 1)
  })

  it("vector 05: push_session(new doc), then pull_session(session_id) from a second connection", async () => {
    const fx = load_fixture("05_push_pull_frames.json")
    const [push_req] = recorded_messages(fx, 1, "C->S")
    const [pull_req] = recorded_messages(fx, 2, "C->S")
    const recorded_patches = recorded_messages(fx, 1, "S->C").filter((m) => m.header.msgtype === "PATCH-DOC")
    const [, pull_reply] = recorded_messages(fx, 2, "S->C")
    const token = generate_jwt_token(generate_session_id()) // both connections: one session, as recorded

    // A bystander on the same session, which pulled the app's document before the push (vector 02's pull).
    const [echo_pull_req] = recorded_messages(load_fixture("02_echo_frames.json"), 1, "C->S")
    const [, echo_pull_reply] = recorded_messages(load_fixture("02_echo_frames.json"), 1, "S->C")
    const c = await open(fx, 2, token)
    await expect_ack(c)
    const echo_doc = Document.from_json((await pull(c, echo_pull_req!, echo_pull_reply!)).content["doc"])

    const a = await open(fx, 1, token)
    await expect_ack(a)
    // The pushed document carries the Python client's own ids (p1001): sent unchanged.
    send(a, push_req!)
    const got = await a.rx.until_reply(push_req!.header.msgid)
    const ok = got.pop()!
    assert.equal(ok.header.msgtype, "OK", JSON.stringify(ok.content))
    // Python's client ignores these (it waits for the OK), but they are what every other connection sees.
    const kinds = events_of(got).map((e) => e["kind"])
    assert.deepEqual(
      kinds,
      events_of(recorded_patches).map((e) => e["kind"]),
    )
    const added = events_of(got).find((e) => e["kind"] === "RootAdded")!
    assert.deepEqual(compare_wire(events_of(recorded_patches).find((e) => e["kind"] === "RootAdded")!["model"], added["model"]).problems, [])
    assert.deepEqual(
      events_of(got).find((e) => e["kind"] === "TitleChanged"),
      { kind: "TitleChanged", title: "Pushed" },
    )

    // The bystander must get the pushed models in full: a bare ref to p1001 fails in Python's client and BokehJS.
    const seen: PyMessage[] = []
    while (events_of(seen).length < kinds.length) seen.push(await c.rx.next())
    assert.deepEqual(
      events_of(seen).map((e) => e["kind"]),
      kinds,
    )
    assert.deepEqual(events_of(seen).find((e) => e["kind"] === "RootRemoved")!["model"], { id: c.ids.get("p1006") })
    for (const m of seen) await echo_doc.apply_json_patch(m.content, m.buffers, "server")
    assert.deepEqual([echo_doc.title, echo_doc.roots.map((r) => r.id)], ["Pushed", ["p1001"]])

    const b = await open(fx, 2, token)
    await expect_ack(b)
    const reply = await pull(b, pull_req!, pull_reply!)
    // Same ids too: the pushed models keep the ids their creator gave them.
    assert.deepEqual([...b.ids], [["p1001", "p1001"]])
    assert.deepEqual((reply.content["doc"] as { roots: unknown[] }).roots, (pull_reply!.content["doc"] as { roots: unknown[] }).roots)

    // As recorded: the second client closes first, then the pusher.
    await close(b, fx, 2)
    await close(a, fx, 1)
    await close(c, fx, 2)
  })
})
