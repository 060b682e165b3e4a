/**
 * The sweep: every concrete model class Python Bokeh exports, an instance with a sample value for every property
 * that takes a plain value (py/sample.py), in documents of BATCH classes. Python pushes each to our server and
 * to its own and pulls it back: ours must return what Python's returns. Our Node client then pulls the session from
 * our server and re-serializes it; Python must read that back equal as well.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { pull_session } from "../../src/client/session.ts"
import { PyAgent, skip, start_our_server, start_python_server, type AppServer } from "./python.ts"

/** Classes per document (differences and refusals name the model class, so a batch needs no bisecting). */
const BATCH = 40

describe("sweep: every model class Python exports, both ways", { skip }, () => {
  let py: PyAgent
  let ours: AppServer
  let theirs: AppServer
  let names: string[]
  interface Pushed {
    key: string
    names: string[]
    id?: string
    diff?: string[]
    error?: string
  }
  const pushed: Pushed[] = []
  const read_back: Record<string, string[]> = {}

  before(async () => {
    ;[py, ours, theirs] = await Promise.all([PyAgent.start(), start_our_server(["empty"]), start_python_server(["empty"])])
    names = await py.call<string[]>("sweep.names")
    for (let i = 0; i < names.length; i += BATCH) {
      const results = await py.call<Pushed[]>("sweep.push_batch", {
        key: `batch${i}`,
        batch: names.slice(i, i + BATCH),
        ours: ours.url("empty"),
        theirs: theirs.url("empty"),
        rich: true,
      })
      pushed.push(...results)
      const docs: Record<string, unknown> = {}
      for (const { key, id } of results) {
        if (id === undefined) continue
        try {
          await using session = await pull_session({ url: ours.url("empty"), session_id: id })
          docs[key] = session.document!.to_json()
        } catch (e) {
          read_back[key] = [`our client: ${String(e)}`]
        }
      }
      Object.assign(read_back, await py.call("sweep.reads_back_batch", { docs }))
      await py.call("sweep.close_batch", { keys: results.map((r) => r.key) })
    }
  })
  after(async () => {
    await Promise.all([py?.stop(), ours?.stop(), theirs?.stop()])
  })

  it("covers every concrete model class Python exports", () => {
    assert.ok(names.length >= 300, `only ${names.length}`)
    assert.deepEqual(pushed.flatMap((p) => p.names).sort(), [...names].sort())
    assert.deepEqual(
      Object.keys(read_back).sort(),
      pushed
        .filter((p) => p.id !== undefined)
        .map((p) => p.key)
        .sort(),
    )
  })

  it("our server returns what Python's returns for a document Python pushed", () => {
    const problems = pushed.flatMap((r) => (r.error !== undefined ? [`${r.key}: ${r.error}`] : (r.diff ?? []).map((d) => `${r.key}: ${d}`)))
    assert.deepEqual(problems, [])
  })

  it("our Node client re-serializes each so that Python reads it back equal", () => {
    const problems = Object.entries(read_back).flatMap(([name, diffs]) => diffs.map((d) => `${name}: ${d}`))
    assert.deepEqual(problems, [])
  })
})
