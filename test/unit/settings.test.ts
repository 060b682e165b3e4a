/** src/settings.ts: Python's precedence (explicit > --use-config file > environment > default) and its conversions. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError } from "../../src/core/errors.ts"
import { node_options, read_setting, resolve_settings, unknown_config_keys } from "../../src/settings.ts"

const is_config_error = (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_OPTION"

describe("settings", () => {
  it("explicit beats the config file, which beats the environment, which beats the default", () => {
    const env = { BOKEH_SECRET_KEY: "env", BOKEH_DEFAULT_SERVER_PORT: "7000", BOKEH_ALLOW_WS_ORIGIN: "e.com, f.com:81," }
    const config = { secret_key: "file", allowed_ws_origin: ["a.com"] }
    assert.equal(read_setting("secret_key", { env }), "env")
    assert.equal(read_setting("secret_key", { env, config }), "file")
    assert.equal(read_setting("secret_key", { env, config, explicit: { secret_key: "option" } }), "option")
    assert.equal(read_setting("secret_key", { env: {} }), null)
    assert.equal(read_setting("default_server_port", { env }), 7000)
    assert.equal(read_setting("default_server_port", { env: {} }), 5006)
    assert.deepEqual(read_setting("allowed_ws_origin", { env }), ["e.com", "f.com:81"])
    assert.deepEqual(read_setting("allowed_ws_origin", { env, config }), ["a.com"])
    assert.equal(read_setting("resources", { env: {} }), "server")
  })

  it("empty variables and YAML nulls count as unset", () => {
    assert.equal(read_setting("secret_key", { env: { BOKEH_SECRET_KEY: "" } }), null)
    assert.equal(read_setting("secret_key", { env: { BOKEH_SECRET_KEY: "env" }, config: { secret_key: null } }), "env")
    assert.equal(read_setting("secret_key", { env: {}, explicit: { secret_key: undefined } }), null)
  })

  it("converts as Python does: convert_bool, plain truth for sign_sessions, ints, enums", () => {
    for (const [text, value] of [
      ["yes", true],
      ["ON", true],
      ["1", true],
      ["no", false],
      ["Off", false],
      ["0", false],
    ] as const)
      assert.equal(read_setting("xsrf_cookies", { env: { BOKEH_XSRF_COOKIES: text } }), value)
    assert.throws(
      () => read_setting("xsrf_cookies", { env: { BOKEH_XSRF_COOKIES: "maybe" } }),
      (e) => is_config_error(e) && /BOKEH_XSRF_COOKIES/.test((e as Error).message),
    )
    // Python reads BOKEH_SIGN_SESSIONS as text and tests its truth: "0" is true.
    assert.equal(read_setting("sign_sessions", { env: { BOKEH_SIGN_SESSIONS: "0" } }), true)
    assert.equal(read_setting("sign_sessions", { env: {}, config: { sign_sessions: false } }), false)
    assert.throws(() => read_setting("default_server_port", { env: { BOKEH_DEFAULT_SERVER_PORT: "http" } }), is_config_error)
    assert.throws(() => read_setting("compression_level", { env: { BOKEH_COMPRESSION_LEVEL: "10" } }), is_config_error)
    assert.throws(() => read_setting("ico_path", { env: { BOKEH_ICO_PATH: "icon.png" } }), is_config_error)
    assert.equal(read_setting("ico_path", { env: { BOKEH_ICO_PATH: "NONE" } }), "none")
    assert.throws(
      () => read_setting("secret_key", { env: {}, config: { secret_key: ["a"] } }),
      (e) => is_config_error(e) && /config file/.test((e as Error).message),
    )
  })

  it("resolve_settings resolves every setting once, frozen; config keys are Python's", () => {
    const settings = resolve_settings({ env: { BOKEH_RESOURCES: "cdn" }, config: { validate_doc: "no" } })
    assert.equal(settings.resources, "cdn")
    assert.equal(settings.perform_document_validation, false, "Python's config key for perform_document_validation is validate_doc")
    assert.ok(Object.isFrozen(settings))
    assert.deepEqual(unknown_config_keys({ secret_key: "k", session_token_expiration: 60 }), ["session_token_expiration"])
  })

  it("a malformed variable is an error only where its setting is used; process.env is read once", () => {
    const saved = { port: process.env["BOKEH_DEFAULT_SERVER_PORT"], key: process.env["BOKEH_SECRET_KEY"] }
    process.env["BOKEH_DEFAULT_SERVER_PORT"] = "http"
    process.env["BOKEH_SECRET_KEY"] = "before"
    try {
      const settings = resolve_settings()
      process.env["BOKEH_SECRET_KEY"] = "after"
      assert.equal(settings.secret_key, "before")
      assert.throws(() => settings.default_server_port, is_config_error)
    } finally {
      for (const [name, value] of [
        ["BOKEH_DEFAULT_SERVER_PORT", saved.port],
        ["BOKEH_SECRET_KEY", saved.key],
      ] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })

  it("node_options reads Node's NODE_OPTIONS for the app loader (empty when unset)", () => {
    assert.equal(node_options({}), "")
    assert.equal(node_options({ NODE_OPTIONS: "--import tsx" }), "--import tsx")
  })
})
