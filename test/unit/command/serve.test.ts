import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { parse_serve_args, serve, serve_help, server_options } from "../../../src/command/subcommands/serve.ts"
import { SERVE_OPTIONS } from "../../../src/command/subcommands/serve_options.ts"
import { BokehError } from "../../../src/core/errors.ts"
import { set_log_level } from "../../../src/util/logging.ts"
import { BokehServerCore } from "../../../src/server/core.ts"
import { ConfigError } from "../../../src/core/errors.ts"

const apps = fileURLToPath(new URL("../../fixtures/apps/", import.meta.url))

describe("bokeh-ts serve", () => {
  it("parses bokeh serve's options", () => {
    const args = parse_serve_args([
      "a.ts",
      "--port",
      "0",
      "--allow-websocket-origin=x:1",
      "--allow-websocket-origin",
      "y",
      "--dev",
      "f1",
      "f2",
      "--show",
      "--args",
      "--port",
      "9",
    ])
    assert.deepEqual(args.files, ["a.ts"])
    assert.deepEqual(args.app_argv, ["--port", "9"])
    assert.deepEqual(args.options["allow-websocket-origin"], ["x:1", "y"])
    assert.deepEqual(args.options["dev"], ["f1", "f2"])
    const o = server_options(parse_serve_args(["--port", "7000", "--prefix", "p", "--keep-alive", "0", "--disable-index"]))
    assert.equal(o.port, 7000)
    assert.equal(o.prefix, "p")
    assert.equal(o.keep_alive_milliseconds, 0)
    assert.equal(o.use_index, false)
    const listener = server_options(parse_serve_args(["--unix-socket", "/tmp/b.sock", "--stats-log-frequency", "0", "--mem-log-frequency", "1000"]))
    assert.equal(listener.unix_socket, "/tmp/b.sock")
    assert.equal(listener.stats_log_frequency_milliseconds, 0)
    assert.equal(listener.mem_log_frequency_milliseconds, 1000)
    const tls = server_options(parse_serve_args(["--ssl-certfile", "c.pem", "--ssl-keyfile=k.pem"]))
    assert.deepEqual([tls.ssl_certfile, tls.ssl_keyfile], ["c.pem", "k.pem"])
    assert.throws(() => server_options(parse_serve_args(["--mem-log-frequency", "-1"])), /integer >= 0/)
    const ws = server_options(
      parse_serve_args(["--websocket-compression-level", "6", "--websocket-compression-mem-level", "8", "--cookie-secret", "c", "--enable-xsrf-cookies"]),
    )
    assert.deepEqual([ws.websocket_compression_level, ws.websocket_compression_mem_level, ws.cookie_secret, ws.xsrf_cookies], [6, 8, "c", true])
    const bp = server_options(
      parse_serve_args(["--websocket-max-buffered-bytes", "1048576", "--websocket-stall-timeout", "0", "--websocket-max-queued-messages", "2"]),
    )
    assert.deepEqual([bp.websocket_max_buffered_bytes, bp.websocket_stall_timeout_milliseconds, bp.websocket_max_queued_messages], [1048576, 0, 2])
    assert.throws(() => server_options(parse_serve_args(["--websocket-max-queued-messages", "0"])), /integer >= 1/)
    assert.throws(() => server_options(parse_serve_args(["--websocket-compression-level", "10"])), /<= 9/)
    const res = server_options(parse_serve_args(["--resources", "inline", "--compress", "no"]))
    assert.deepEqual([res.resources, res.compress], ["inline", false])
    assert.equal(server_options(parse_serve_args(["--compress=yes"])).compress, true)
    assert.equal(server_options(parse_serve_args([])).compress, undefined)
    assert.throws(() => server_options(parse_serve_args(["--resources", "relative"])), /server, cdn, inline/)
    assert.throws(() => server_options(parse_serve_args(["--compress", "maybe"])), /yes, no/)
    const store = server_options(parse_serve_args(["--session-store", "redis://127.0.0.1:6379/2", "--session-store-max-bytes", "1000"]))
    assert.deepEqual([store.session_store, store.session_store_max_bytes], ["redis://127.0.0.1:6379/2", 1000])
    assert.throws(
      () => new BokehServerCore({}, { session_store: "http://127.0.0.1:6379" }),
      (e: unknown) => e instanceof ConfigError && e.code === "BK_ERR_OPTION" && /redis:\/\/host:port\/db/.test(e.message),
    )
    assert.throws(() => parse_serve_args(["--nope"]), /unknown option/)
    assert.throws(() => server_options(parse_serve_args(["--port", "x"])), /integer/)
  })

  it("--help lists every option of the table exactly once", () => {
    for (const name of Object.keys(SERVE_OPTIONS))
      assert.equal(serve_help.split("\n").filter((line) => new RegExp(`^  (-h, )?--${name}( |$)`).test(line)).length, 1, `--${name}`)
    assert.ok(
      serve_help
        .slice(serve_help.indexOf("options:"))
        .split("\n")
        .every((line) => line.length <= 100),
      "option lines fit in 100 columns",
    )
  })

  it("bad arguments are CliErrors naming the option", () => {
    const is_cli_error = (pattern: RegExp) => (e: unknown) => e instanceof BokehError && e.code === "BK_ERR_CLI" && pattern.test(e.message)
    assert.throws(() => parse_serve_args(["--nope"]), is_cli_error(/unknown option --nope/))
    assert.throws(() => parse_serve_args(["--port"]), is_cli_error(/--port needs a value/))
    assert.throws(
      () => server_options(parse_serve_args(["--resources", "relative"])),
      is_cli_error(/--resources must be one of server, cdn, inline, got relative/),
    )
    assert.throws(() => server_options(parse_serve_args(["--include-cookies", "a", "--exclude-cookies", "b"])), is_cli_error(/not both/))
    assert.throws(() => server_options(parse_serve_args(["--session-ids", "signed"]), { env: {} }), is_cli_error(/needs BOKEH_SECRET_KEY/))
    const signed = server_options(parse_serve_args(["--session-ids", "external-signed"]), { env: { BOKEH_SECRET_KEY: "k".repeat(44) } })
    assert.deepEqual([signed.sign_sessions, signed.generate_session_ids, signed.secret_key], [true, false, "k".repeat(44)])
  })

  it("serves script and directory apps (with --glob) at /name", async () => {
    const server = (await serve([`${apps}script_app.ts`, `${apps}dir_*`, "--glob", "--port", "0", "--address", "127.0.0.1", "--log-level", "none"]))!
    set_log_level("none")
    const base = `http://127.0.0.1:${server.port}`
    assert.equal((await fetch(`${base}/script_app`)).status, 200)
    assert.equal((await fetch(`${base}/dir_app`)).status, 200)
    await server.stop()
  })
})

describe("bokeh-ts serve --auth-module", () => {
  it("loads the module and protects the apps; a missing module is a ConfigError", async () => {
    const auth = fileURLToPath(new URL("../../fixtures/auth/auth.ts", import.meta.url))
    const server = (await serve([
      `${apps}script_app.ts`,
      "--port",
      "0",
      "--address",
      "127.0.0.1",
      "--log-level",
      "none",
      "--auth-module",
      auth,
      "--cookie-secret",
      "x",
    ]))!
    set_log_level("none")
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/script_app`, { redirect: "manual" })
      assert.equal(res.status, 302)
      assert.equal(res.headers.get("location"), "/login?next=%2Fscript_app")
    } finally {
      await server.stop()
    }
    await assert.rejects(serve(["--port", "0", "--log-level", "none", "--auth-module", "/nonexistent/auth.ts"]), /no file exists/)
  })
})
