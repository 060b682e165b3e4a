import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { check_allowlist, normalize_origins, origin_host } from "../../../src/server/origin.ts"
import { start_core, type TestServer } from "./helpers.ts"

/** Whether the Origin header value is admitted by the allowlist (as the upgrade checks it). */
function admits(origin: string, allowlist: string[]): boolean {
  const host = origin_host(origin)
  return host !== null && check_allowlist(host, normalize_origins(allowlist))
}

describe("websocket origin allowlist (exact labels, as Bokeh 3.9)", () => {
  it("refuses look-alike hosts", () => {
    const refused: Array<[string, string[]]> = [
      ["http://localhost.evil.com:5006", ["localhost:5006"]],
      ["http://localhost.:5006", ["localhost:5006"]],
      ["http://trusted.org.evil.net", ["trusted.org"]],
      ["https://trusted.org.evil.net:443", ["trusted.org:*"]],
      ["http://a.example.com.evil.net", ["*.example.com"]],
      ["http://a.b.example.com", ["*.example.com"]],
      ["http://example.com", ["*.example.com"]],
      ["http://localhost:50066", ["localhost:5006"]],
      ["http://localhost:5006", ["localhost"]],
      ["http://192.168.0.1.evil.net", ["192.168.*.*"]],
      ["http://evil.com", ["*:5006"]],
      ["null", ["localhost:5006"]],
      ["http://localhost:5006@evil.com", ["localhost:5006"]],
    ]
    for (const [origin, list] of refused) assert.equal(admits(origin, list), false, `${origin} vs ${list.join(",")}`)
  })

  it("admits exact hosts, one-label wildcards and port wildcards", () => {
    const admitted: Array<[string, string[]]> = [
      ["http://localhost:5006", ["localhost:5006"]],
      ["http://LOCALHOST:5006", ["localhost:5006"]],
      ["http://trusted.org", ["trusted.org"]],
      ["http://trusted.org:80", ["trusted.org"]],
      ["http://a.example.com", ["*.example.com"]],
      ["https://a.example.com:8443", ["*.example.com:*"]],
      ["http://192.168.4.7:5006", ["192.168.*.*:5006"]],
      ["http://anything.at.all:1234", ["*"]],
      ["http://anything:5006", ["*:5006"]],
      ["http://other:1", ["localhost:5006", "other:1"]],
    ]
    for (const [origin, list] of admitted) assert.equal(admits(origin, list), true, `${origin} vs ${list.join(",")}`)
  })

  describe("on an upgrade through the core (in-process)", () => {
    let server: TestServer
    before(async () => {
      server = await start_core({ "/echo": echo_app }, { allow_websocket_origin: ["localhost:5006"] })
    })
    after(async () => {
      await server.stop()
    })

    it("a look-alike Origin gets 403 before the handshake; the allowed one connects", async () => {
      for (const origin of ["http://localhost.evil.com:5006", "http://localhost.:5006"]) {
        await assert.rejects(server.connect("/echo", { headers: { Origin: origin } }), /HTTP 403/)
      }
      const ok = await server.connect("/echo", { headers: { Origin: "http://localhost:5006" } })
      await ok.ack()
      ok.close()
    })
  })
})
