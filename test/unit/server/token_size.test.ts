/**
 * Page tokens leave headers and cookies to the websocket upgrade unless asked for, so big cookie jars
 * and long query strings (corporate SSO) still connect; a token that could not fit in its upgrade is
 * refused when minted, with a coded error, instead of failing the upgrade later with a bare 431.
 *
 * What is about node's header limit (big cookie jars and queries through the listener, the 431, the
 * listener's limit) runs on TCP; what goes into the token runs in-process.
 */
import assert from "node:assert/strict"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import { describe, it } from "node:test"

import type { Document } from "../../../src/document/document.ts"
import { Div } from "../../../src/models/main.ts"
import { BokehServerCore } from "../../../src/server/core.ts"
import { NodeAdapter } from "../../../src/server/node/adapter.ts"
import type { ServerOptions } from "../../../src/server/options.ts"
import { get_token_payload } from "../../../src/util/token.ts"
import { start_core, start_tcp, type TestServer } from "./helpers.ts"

/** Shows what the session's request carried: argument and cookie names with value lengths, and one header. */
function app(doc: Document): void {
  const request = doc.session_context!.request
  const args = Object.entries(request.arguments)
    .map(([k, v]) => `${k}:${v[0]!.length}`)
    .join(",")
  const cookies = Object.entries(request.cookies)
    .map(([k, v]) => `${k}:${v.length}`)
    .join(",")
  doc.add_root(new Div({ id: "out", text: `args=${args} cookies=${cookies} team=${request.headers["X-Team"] ?? "-"}` }))
}

const KB = 1024
/** Random URL-safe text (SSO tokens do not compress, and neither must ours in this test). */
const noise = (n: number) => randomBytes(n).toString("base64url").slice(0, n)
const cookie_jar = Array.from({ length: 8 }, (_, i) => `sso${i}=${noise(KB - 6)}`).join("; ") // ~8 KB
const query = Array.from({ length: 10 }, (_, i) => `arg${i}=${noise(KB - 6)}`).join("&") // ~10 KB
const expected_args = Array.from({ length: 10 }, (_, i) => `arg${i}:${KB - 6}`).join(",")
const expected_cookies = Array.from({ length: 8 }, (_, i) => `sso${i}:${KB - 6}`).join(",")

async function page_token(server: TestServer, path: string, headers: Record<string, string>): Promise<string> {
  const res = await server.fetch(path, { headers })
  const body = await res.text()
  assert.equal(res.status, 200, body.slice(0, 300))
  return /"token":"([^"]+)"/.exec(body)![1]!
}

/** Opens the websocket as BokehJS does (the page's query string on the URL, the cookies sent again) and returns the Div's text. */
async function connect_and_read(server: TestServer, token: string, headers: Record<string, string>): Promise<string> {
  const c = await server.connect("/app", { token, query, headers })
  await c.ack()
  const pulled = JSON.stringify((await c.request("PULL-DOC-REQ", {})).content)
  c.close()
  return /"text":"([^"]*)"/.exec(pulled)![1]!
}

async function with_server(options: ServerOptions, fn: (server: TestServer) => Promise<void>, start: typeof start_core = start_tcp): Promise<void> {
  const server = await start({ "/app": app }, options)
  try {
    await fn(server)
  } finally {
    await server.stop()
  }
}

describe("page tokens and the upgrade's header limit", () => {
  it("~8 KB of cookies and ~10 KB of query arguments still connect; the token carries only the arguments", async () => {
    const headers = { Cookie: cookie_jar, "X-Team": "blue" }
    await with_server({}, async (server) => {
      const token = await page_token(server, `/app?${query}`, headers)
      const payload = get_token_payload(token)
      assert.equal(payload["cookies"], undefined)
      assert.equal(payload["headers"], undefined)
      assert.equal(Object.keys(payload["arguments"] as object).length, 10)
      assert.equal(await connect_and_read(server, token, headers), `args=${expected_args} cookies=${expected_cookies} team=blue`)
      // Another process (a --num-procs worker) creates the session from the token and the upgrade alone.
      await with_server({}, async (other) => {
        assert.equal(await connect_and_read(other, token, headers), `args=${expected_args} cookies=${expected_cookies} team=blue`)
      })
    })
  })

  it("--include-cookies / --exclude-headers put exactly what they name into the token", async () => {
    await with_server(
      { include_cookies: ["sso1"], exclude_headers: ["Cookie", "User-Agent"] },
      async (server) => {
        const payload = get_token_payload(await page_token(server, "/app?x=1", { Cookie: "sso0=a; sso1=b", "X-Team": "red", "User-Agent": "probe" }))
        assert.deepEqual(payload["cookies"], { sso1: "b" })
        const headers = payload["headers"] as Record<string, string>
        assert.equal(headers["X-Team"], "red")
        assert.equal(headers["User-Agent"], undefined)
        assert.equal(headers["Cookie"], undefined)
      },
      start_core,
    )
    await with_server(
      { include_headers: ["X-Team"] },
      async (server) => {
        const payload = get_token_payload(await page_token(server, "/app", { Cookie: "sso0=a", "X-Team": "red" }))
        assert.deepEqual(payload["headers"], { "X-Team": "red" })
        assert.equal(payload["cookies"], undefined)
      },
      start_core,
    )
  })

  it("a token that cannot fit in its upgrade is refused when minted: 431 with BK_ERR_TOKEN_TOO_LARGE, no session", async () => {
    await with_server({ include_cookies: ["big"] }, async (server) => {
      // The request itself fits the 64 KiB limit; its upgrade (query + cookies + a token repeating both) would not.
      const big = `big=${noise(12 * KB)}`
      const more = Array.from({ length: 10 }, (_, i) => `more${i}=${noise(KB)}`).join("&")
      const res = await server.fetch(`/app?${query}&${more}`, { headers: { Cookie: big } })
      const body = await res.text()
      assert.equal(res.status, 431)
      assert.match(body, /BK_ERR_TOKEN_TOO_LARGE/)
      assert.match(body, /header limit/)
      assert.equal(server.get_sessions("/app").length, 0)
    })
  })

  it("the server listens with Tornado's 64 KiB header limit; attached to another listener, its limit counts", async () => {
    await with_server({}, async (server) => {
      assert.equal(server.core.header_limit, 64 * KB)
    })
    const core = new BokehServerCore({})
    new NodeAdapter(core).attach(createServer())
    assert.equal(core.header_limit, 16 * KB)
    const roomy = new BokehServerCore({})
    new NodeAdapter(roomy).attach(createServer({ maxHeaderSize: 100 * KB }))
    assert.equal(roomy.header_limit, 100 * KB)
  })
})
