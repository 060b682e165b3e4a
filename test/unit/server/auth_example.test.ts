/** examples/auth/auth.ts works as its README says: login form, bad password, safe redirect, logout. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { AuthModule } from "../../../src/server/auth_provider.ts"
import { echo_app } from "../../fixtures/apps/echo_app.ts"
import { start_core } from "./helpers.ts"

const example = fileURLToPath(new URL("../../../examples/auth/auth.ts", import.meta.url))

function set_cookies(res: Response): Record<string, string> {
  return Object.fromEntries(
    res.headers.getSetCookie().map((c) => {
      const pair = c.split(";")[0]!
      return [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]
    }),
  )
}

describe("examples/auth", () => {
  it("logs bokeh/bokeh in, refuses a wrong password, never redirects off-site, logs out", async () => {
    const server = await start_core(
      { "/echo": echo_app },
      { auth_provider: await AuthModule.load(example), cookie_secret: "example secret", xsrf_cookies: true },
    )
    try {
      assert.equal((await server.fetch("/echo", { redirect: "manual" })).headers.get("location"), "/login?next=%2Fecho")
      const form = await server.fetch("/login?next=%2Fecho")
      const xsrf = set_cookies(form)["_xsrf"]!
      assert.match(await form.text(), /name="next" value="\/echo"/)
      const login = (fields: string) =>
        server.fetch("/login", {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `_xsrf=${xsrf}` },
          body: `_xsrf=${xsrf}&${fields}`,
        })
      const wrong = await login("username=bokeh&password=nope&next=%2Fecho")
      assert.equal(wrong.status, 401)
      assert.match(await wrong.text(), /Wrong user name or password/)
      // Every spelling a browser would follow to another site ends at "/".
      for (const next of [
        "//evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
      ]) {
        const offsite = await login(`username=bokeh&password=bokeh&next=${encodeURIComponent(next)}`)
        assert.equal(offsite.headers.get("location"), "/", JSON.stringify(next))
      }
      const deep = await login(`username=bokeh&password=bokeh&next=${encodeURIComponent("/echo?x=1#top")}`)
      assert.equal(deep.headers.get("location"), "/echo?x=1#top")
      const ok = await login("username=bokeh&password=bokeh&next=%2Fecho")
      assert.equal(ok.headers.get("location"), "/echo")
      const user = set_cookies(ok)["user"]!
      assert.equal((await server.fetch("/echo", { redirect: "manual", headers: { Cookie: `user=${user}` } })).status, 200)
      const out = await server.fetch("/logout", { redirect: "manual", headers: { Cookie: `user=${user}` } })
      assert.equal(out.headers.get("location"), "/login")
    } finally {
      await server.stop()
    }
  })
})
