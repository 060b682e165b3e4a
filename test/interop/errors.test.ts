/**
 * Python's client against our server in the error cases (wrong path, bad tokens, oversize messages) gets what it
 * gets from Python's own `bokeh serve` of the twin apps: the same exception, or the same session state. And a
 * 2 x 1,000,000-point float64 document pulls under Python's default 20 MiB message limit.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { PyAgent, skip, start_our_server, start_python_server, type AppServer } from "./python.ts"

const LIMIT = 1_000_000
const SECRET = "interop-secret-key-of-at-least-32-bytes!"

/** Python's client when the server closes the websocket right after accepting it (as Tornado does on bad tokens). */
const SERVER_CLOSED = { raised: "OSError", message: "We received an HTTP-Error. Disconnected with error code: 500, given message: Internal server error." }

describe("Python's client: error cases and a large pull, our server against Python's", { skip }, () => {
  let py: PyAgent
  let ours: AppServer
  let theirs: AppServer
  let ours_small: AppServer
  let theirs_small: AppServer
  let ours_signed: AppServer
  let theirs_signed: AppServer

  before(async () => {
    ;[py, ours, theirs, ours_small, theirs_small, ours_signed, theirs_signed] = await Promise.all([
      PyAgent.start(),
      start_our_server(["echo", "big"]),
      start_python_server(["echo", "big"]),
      start_our_server(["echo"], { websocket_max_message_size: LIMIT }),
      start_python_server(["echo"], ["--websocket-max-message-size", String(LIMIT)]),
      start_our_server(["echo"], { sign_sessions: true, secret_key: SECRET }),
      start_python_server(["echo"], [], { BOKEH_SIGN_SESSIONS: "true", BOKEH_SECRET_KEY: SECRET }),
    ])
  })
  after(async () => {
    await Promise.all([py?.stop(), ours?.stop(), theirs?.stop(), ours_small?.stop(), theirs_small?.stop(), ours_signed?.stop(), theirs_signed?.stop()])
  })

  async function compare(fn: string, args: (server: AppServer) => Record<string, unknown>, pair: [AppServer, AppServer] = [ours, theirs]): Promise<unknown> {
    const a = await py.call(fn, args(pair[0]))
    const b = await py.call(fn, args(pair[1]))
    assert.deepEqual(a, b, `our server (first) and Python's differ for ${fn}`)
    return a
  }

  it("a wrong app path raises the same exception", async () => {
    const got = await compare("errors.pull", (s) => ({ url: s.url("no_such_app") }))
    assert.equal((got as { raised: string }).raised, "OSError")
  })

  for (const kind of ["garbage", "expired", "illegal_chars", "wrong_signature"]) {
    it(`a ${kind.replace("_", " ")} token ends the same way`, async () => {
      const got = await compare("errors.pull_with_token", (s) => ({ url: s.url("echo"), kind }))
      assert.deepEqual(got, kind === "wrong_signature" ? { raised: null, connected: true, error_reason: "None", error_code: 0 } : SERVER_CLOSED)
    })
  }

  for (const kind of ["garbage", "expired", "wrong_signature", "good_signature"]) {
    it(`signed sessions: a ${kind.replace("_", " ")} token ends the same way`, async () => {
      const got = await compare("errors.pull_with_token", (s) => ({ url: s.url("echo"), kind }), [ours_signed, theirs_signed])
      assert.deepEqual(got, kind === "good_signature" ? { raised: null, connected: true, error_reason: "None", error_code: 0 } : SERVER_CLOSED)
    })
  }

  it("a push over the server's message limit ends the same way", async () => {
    const got = await compare("errors.push_oversize", (s) => ({ url: s.url("echo"), n: (2 * LIMIT) / 8 }), [ours_small, theirs_small])
    assert.deepEqual(got, { raised: "RuntimeError", message: "Connection to server was lost" })
  })

  it("a reply over the client's message limit ends the same way", async () => {
    const got = await compare("errors.pull", (s) => ({ url: s.url("big"), max_message_size: LIMIT }))
    assert.deepEqual(got, { raised: "RuntimeError", message: "Connection to server was lost" })
  })

  it("pulls 2 x 1,000,000 float64 points under Python's default message limit, as binary float64", async () => {
    const got = await compare("errors.pull_big", (s) => ({ url: s.url("big") }))
    assert.deepEqual(got, { x: ["float64", 1_000_000, 0, 999_999 / 7], y: ["float64", 1_000_000, -0, -999_999 / 7] })
  })
})
