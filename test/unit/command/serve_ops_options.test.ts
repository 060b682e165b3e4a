/** `bokeh-ts serve`'s operations options become ServerOptions; bad values are refused with BK_ERR_CLI. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { CliError } from "../../../src/core/errors.ts"
import { parse_serve_args, serve_help, server_options } from "../../../src/command/subcommands/serve.ts"

const options = (argv: string[]) => server_options(parse_serve_args(argv))

describe("serve: --health, --metrics, --drain-timeout", () => {
  it("are off unless given", () => {
    const o = options(["app.ts"])
    for (const key of ["health", "metrics", "liveness_endpoint", "readiness_endpoint", "metrics_endpoint", "drain_timeout_milliseconds"])
      assert.equal(key in o, false, key)
  })

  it("map to ServerOptions, with the app argument after a flag kept as an app", () => {
    const args = parse_serve_args([
      "--health",
      "--metrics",
      "app.ts",
      "--metrics-endpoint",
      "/prom",
      "--readiness-endpoint=/readyz",
      "--liveness-endpoint",
      "/livez",
      "--drain-timeout",
      "5000",
    ])
    assert.deepEqual(args.files, ["app.ts"])
    const o = server_options(args)
    assert.equal(o.health, true)
    assert.equal(o.metrics, true)
    assert.equal(o.metrics_endpoint, "/prom")
    assert.equal(o.readiness_endpoint, "/readyz")
    assert.equal(o.liveness_endpoint, "/livez")
    assert.equal(o.drain_timeout_milliseconds, 5000)
  })

  it("refuse a drain timeout that is not a non-negative integer", () => {
    assert.throws(
      () => options(["--drain-timeout", "soon"]),
      (e: unknown) => e instanceof CliError && e.code === "BK_ERR_CLI" && /--drain-timeout/.test(e.message),
    )
  })

  it("are in --help", () => {
    for (const flag of ["--health", "--liveness-endpoint", "--readiness-endpoint", "--metrics", "--metrics-endpoint", "--drain-timeout"])
      assert.match(serve_help, new RegExp(`^  ${flag}\\b`, "m"), flag)
  })
})
