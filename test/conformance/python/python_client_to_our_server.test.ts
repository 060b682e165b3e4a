/** Python's stock `bokeh.client` against our server. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import type { Document } from "../../../src/document/document.ts"
import { ColumnDataSource } from "../../../src/models/main.ts"
import type { Server } from "../../../src/server/server.ts"
import { start_server } from "../../unit/server/helpers.ts"
import { needs_python, run_python } from "./peer.ts"

const N = 1_000_000

function big_app(doc: Document): void {
  const x = Float64Array.from({ length: N }, (_, i) => i / 7)
  const y = Float64Array.from({ length: N }, (_, i) => Math.sin(i))
  doc.add_root(new ColumnDataSource({ name: "big", data: { x, y } }))
}

// Python's pull_session with its default websocket_max_message_size (20 MiB).
const pull_big = `
import sys
from bokeh.client import pull_session
with pull_session(url=sys.argv[1]) as session:
    data = session.document.get_model_by_name("big").data
    x, y = data["x"], data["y"]
    print(type(x).__name__, x.dtype, len(x), x[7], y.dtype, len(y))
`

describe("Python client → our server", needs_python, () => {
  let server: Server
  before(async () => {
    server = await start_server({ "/big": big_app })
  })
  after(async () => {
    await server.stop()
  })

  it("pulls 2 × 1,000,000 float64 points as binary buffers, under Python's default message limit", async () => {
    const out = await run_python(pull_big, "", [`http://127.0.0.1:${server.port}/big`])
    assert.equal(out.trim(), `ndarray float64 ${N} 1.0 float64 ${N}`)
  })
})
