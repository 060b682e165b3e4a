/** `--use-config`: Bokeh settings from YAML fill BOKEH_* variables the environment has not set. */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { load_config } from "../../../src/command/config_file.ts"
import { serve } from "../../../src/command/subcommands/serve.ts"
import { BokehError } from "../../../src/core/errors.ts"
import { set_log_level } from "../../../src/util/logging.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-config-"))
const apps = fileURLToPath(new URL("../../fixtures/apps/", import.meta.url))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const is_config_error = (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_CONFIG"

describe("--use-config", () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("maps settings to their environment variables; the environment wins; false leaves a flag unset", () => {
    set_log_level("none")
    const env: NodeJS.ProcessEnv = { BOKEH_COOKIE_SECRET: "from env" }
    const set = load_config(file("a.yaml", "secret_key: from-file\nsign_sessions: yes\nallowed_ws_origin: [a.com, 'b.com:8080']\nxsrf_cookies: false\ncookie_secret: from file\nsession_token_expiration: 60\n"), env)
    assert.deepEqual(env, {
      BOKEH_COOKIE_SECRET: "from env",
      BOKEH_SECRET_KEY: "from-file",
      BOKEH_SIGN_SESSIONS: "true",
      BOKEH_ALLOW_WS_ORIGIN: "a.com,b.com:8080",
      BOKEH_SESSION_TOKEN_EXPIRATION: "60",
    })
    assert.deepEqual(set.sort(), ["BOKEH_ALLOW_WS_ORIGIN", "BOKEH_SECRET_KEY", "BOKEH_SESSION_TOKEN_EXPIRATION", "BOKEH_SIGN_SESSIONS"])
    assert.deepEqual(load_config(file("empty.yaml", ""), {}), [])
  })

  it("unreadable, non-mapping and nested values are ConfigErrors", () => {
    assert.throws(() => load_config(join(dir, "missing.yaml"), {}), is_config_error)
    assert.throws(() => load_config(file("list.yaml", "- a\n- b\n"), {}), is_config_error)
    assert.throws(() => load_config(file("nested.yaml", "secret_key: {a: 1}\n"), {}), is_config_error)
    assert.throws(() => load_config(file("bad.yaml", "a: [\n"), {}), is_config_error)
  })

  it("bokeh-ts serve --use-config signs sessions when the file says so", async () => {
    const config = file("sign.yaml", `sign_sessions: true\nsecret_key: ${"k".repeat(44)}\n`)
    const saved = { sign: process.env["BOKEH_SIGN_SESSIONS"], key: process.env["BOKEH_SECRET_KEY"] }
    const server = (await serve([`${apps}script_app.ts`, "--port", "0", "--address", "127.0.0.1", "--log-level", "none", "--use-config", config]))!
    try {
      const base = `http://127.0.0.1:${server.port}`
      assert.equal((await fetch(`${base}/script_app?bokeh-session-id=unsigned`)).status, 403, "unsigned ids are refused")
      assert.equal((await fetch(`${base}/script_app`)).status, 200)
    } finally {
      await server.stop()
      for (const [name, value] of [["BOKEH_SIGN_SESSIONS", saved.sign], ["BOKEH_SECRET_KEY", saved.key]] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})
