/** `--use-config`: a YAML file of Bokeh settings becomes the config layer of the settings, never process.env. */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { load_config } from "../../../src/command/config_file.ts"
import { serve, server_options, parse_serve_args } from "../../../src/command/subcommands/serve.ts"
import { BokehError } from "../../../src/core/errors.ts"
import { set_log_level } from "../../../src/util/logging.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-config-"))
const apps = fileURLToPath(new URL("../../fixtures/apps/", import.meta.url))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const is_cli_error = (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_CLI"

describe("--use-config", () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("reads the file's settings as a mapping, by Python's names", () => {
    set_log_level("none")
    const config = load_config(file("a.yaml", "secret_key: from-file\nsign_sessions: yes\nallowed_ws_origin: [a.com, 'b.com:8080']\nxsrf_cookies: false\n"))
    assert.deepEqual(config, { secret_key: "from-file", sign_sessions: true, allowed_ws_origin: ["a.com", "b.com:8080"], xsrf_cookies: false })
    assert.deepEqual(load_config(file("empty.yaml", "")), {})
  })

  it("the file beats the environment and loses to options, as in Python", () => {
    const config = load_config(
      file("b.yaml", "cookie_secret: from-file\nssl_certfile: file.pem\nallowed_ws_origin: [a.com, 'b.com:8080']\nxsrf_cookies: false\n"),
    )
    const env = { BOKEH_COOKIE_SECRET: "from-env", BOKEH_SSL_CERTFILE: "env.pem", BOKEH_SSL_KEYFILE: "env.key", BOKEH_XSRF_COOKIES: "yes" }
    const o = server_options(parse_serve_args(["--ssl-certfile", "option.pem"]), { config, env })
    assert.equal(o.cookie_secret, "from-file")
    assert.equal(o.ssl_certfile, "option.pem")
    assert.equal(o.ssl_keyfile, "env.key", "what the file does not name comes from the environment")
    assert.equal(o.xsrf_cookies, undefined, "xsrf_cookies: false in the file beats BOKEH_XSRF_COOKIES=yes")
    assert.deepEqual(o.settings?.allowed_ws_origin, ["a.com", "b.com:8080"])
  })

  it("unreadable, non-mapping and nested values are CliErrors", () => {
    assert.throws(() => load_config(join(dir, "missing.yaml")), is_cli_error)
    assert.throws(() => load_config(file("list.yaml", "- a\n- b\n")), is_cli_error)
    assert.throws(() => load_config(file("nested.yaml", "secret_key: {a: 1}\n")), is_cli_error)
    assert.throws(() => load_config(file("bad.yaml", "a: [\n")), is_cli_error)
  })

  it("bokeh-ts serve --use-config signs sessions when the file says so, without touching process.env", async () => {
    const config = file("sign.yaml", `sign_sessions: true\nsecret_key: ${"k".repeat(44)}\n`)
    const before = { ...process.env }
    const server = (await serve([`${apps}script_app.ts`, "--port", "0", "--address", "127.0.0.1", "--log-level", "none", "--use-config", config]))!
    try {
      assert.deepEqual({ ...process.env }, before)
      const base = `http://127.0.0.1:${server.port}`
      assert.equal((await fetch(`${base}/script_app?bokeh-session-id=unsigned`)).status, 403, "unsigned ids are refused")
      assert.equal((await fetch(`${base}/script_app`)).status, 200)
    } finally {
      await server.stop()
    }
  })
})
