import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError } from "../../../src/core/errors.ts"
import { compile_log_format, DEFAULT_LOG_FORMAT } from "../../../src/util/log_format.ts"

const record = { level: "warning", level_number: 30, message: "hello", time: new Date(2024, 0, 31, 12, 3, 4, 56) }

describe("--log-format (Python logging syntax)", () => {
  it("the default is bokeh serve's `asctime message`", () => {
    assert.equal(compile_log_format(DEFAULT_LOG_FORMAT)(record), "2024-01-31 12:03:04,056 hello")
  })

  it("fields, widths, alignment, precision and %%", () => {
    const f = compile_log_format("[%(levelname)-8s|%(levelno)03d|%(process)d] %(message).3s 100%% %(msecs)5d")
    assert.equal(f(record), `[WARNING |030|${process.pid}] hel 100%    56`)
    assert.match(compile_log_format("%(created)f")(record), /^\d+\.\d{6}$/)
    assert.equal(compile_log_format("%(name)s %(threadName)s")(record), "bokeh.server MainThread")
  })

  it("unknown fields are a ConfigError when the format is set, not a broken line later", () => {
    assert.throws(
      () => compile_log_format("%(asctime)s %(funcName)s"),
      (e) => e instanceof BokehError && e.code === "BK_ERR_OPTION" && /funcName/.test(e.message),
    )
  })
})
