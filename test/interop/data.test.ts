/**
 * ColumnDataSource stream (with rollover) and patch (index, slice, 2-D) of every dtype, from either side, with
 * Python's client and ours, against Python's server and ours: every combination ends with the same columns,
 * dtypes included, as Python's own client and server produce.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { pull_session } from "../../src/client/session.ts"
import { NDArray } from "../../src/core/util/ndarray.ts"
import { ColumnDataSource, TextInput } from "../../src/models/main.ts"
import { apply } from "./apps/data_ops.ts"
import { PyAgent, skip, start_our_server, start_python_server, type AppServer } from "./python.ts"

type Described = Record<string, Record<string, unknown>>

/** Asserts two descriptions are equal, naming each differing column with both values compactly. */
function same(actual: unknown, expected: Described, what = ""): void {
  const a = actual as Described
  const problems: string[] = []
  for (const source of Object.keys(expected)) {
    for (const col of new Set([...Object.keys(a[source] ?? {}), ...Object.keys(expected[source]!)])) {
      const x = JSON.stringify(a[source]?.[col])
      const y = JSON.stringify(expected[source]![col])
      if (x !== y) problems.push(`${source}.${col}:\n    got      ${x}\n    expected ${y}`)
    }
  }
  assert.ok(problems.length === 0, `${what}\n  ${problems.join("\n  ")}`)
}
const OPS = ["stream:1", "patch:2", "stream:3", "stream:4", "patch:5"]
/** Sessions clients stream into hold datetimes as float64 on Python's server too (see apps/data.py). */
const FLOAT_DT = { dt: "float" }

describe("stream and patch of every dtype, either side, either server", { skip }, () => {
  let py: PyAgent
  let ours: AppServer
  let theirs: AppServer
  /** What Python's client sees after OPS applied by Python's server to Python's client: the reference. */
  let reference: Described

  before(async () => {
    ;[py, ours, theirs] = await Promise.all([PyAgent.start(), start_our_server(["data"]), start_python_server(["data"])])
    await py.call("client.pull", { name: "ref", url: theirs.url("data") })
    for (const op of OPS) await py.call("data.server_op", { name: "ref", op })
    reference = await py.call<Described>("data.describe", { name: "ref" })
    await py.call("client.close", { name: "ref" })
  })
  after(async () => {
    await Promise.all([py?.stop(), ours?.stop(), theirs?.stop()])
  })

  it("the reference keeps every dtype (Python's client and server)", () => {
    const dtypes = Object.fromEntries(Object.entries(reference["cds"]!).map(([k, v]) => [k, (v as { ndarray?: string }).ndarray ?? "list"]))
    assert.deepEqual(dtypes, {
      b: "bool",
      dt: "float64",
      f32: "float32",
      f64: "float64",
      i16: "int16",
      i32: "int32",
      i8: "int8",
      s: "object",
      u16: "uint16",
      u32: "uint32",
      u8: "uint8",
    })
    assert.equal((reference["cds"]!["f64"] as { values: number[] }).values.length, 6)
  })

  it("Python's client, our server: server-side streams and patches arrive as from Python's server", async () => {
    await py.call("client.pull", { name: "a", url: ours.url("data") })
    for (const op of OPS) await py.call("data.server_op", { name: "a", op })
    same(await py.call("data.describe", { name: "a" }), reference)
    await py.call("client.close", { name: "a" })
  })

  it("data replaced whole by Python's client keeps its dtypes on our server as on Python's", async () => {
    const data = {
      f64: [[1.5, 2.5], "float64"],
      f32: [[0.5, 1], "float32"],
      i8: [[-1, 2], "int8"],
      i16: [[-300, 3], "int16"],
      i32: [[-70000, 4], "int32"],
      u8: [[1, 255], "uint8"],
      u16: [[1, 65535], "uint16"],
      u32: [[1, 4_000_000_000], "uint32"],
      b: [[true, false], "bool"],
      dt: [["2024-01-01", "2024-01-02"], "datetime64[ms]"],
      s: [["a", "é"], "<U1"],
    }
    const seen: unknown[] = []
    for (const server of [ours, theirs]) {
      const { id } = await py.call<{ id: string }>("client.pull", { name: "w", url: server.url("data"), arguments: FLOAT_DT })
      await py.call("client.replace_data", { name: "w", model: "cds", data })
      await py.call("client.pull", { name: "r", url: server.url("data"), session_id: id })
      seen.push(await py.call<Described>("data.describe", { name: "r" }))
      await py.call("client.close", { name: "w" })
      await py.call("client.close", { name: "r" })
    }
    same(seen[0], seen[1] as Described, "our server (got) and Python's (expected)")
  })

  for (const server of ["ours", "theirs"] as const) {
    it(`Python's client streams and patches into ${server === "ours" ? "our" : "Python's"} server; a fresh pull sees the reference`, async () => {
      const url = (server === "ours" ? ours : theirs).url("data")
      const { id } = await py.call<{ id: string }>("client.pull", { name: "w", url, arguments: FLOAT_DT })
      for (const op of OPS) await py.call("data.client_op", { name: "w", op })
      same(await py.call("data.describe", { name: "w" }), reference, "the writer's own document")
      await py.call("client.pull", { name: "r", url, session_id: id })
      same(await py.call("data.describe", { name: "r" }), reference, "a fresh pull of the session")
      await py.call("client.close", { name: "w" })
      await py.call("client.close", { name: "r" })
    })

    it(`our client streams and patches into ${server === "ours" ? "our" : "Python's"} server; Python pulls the reference`, async () => {
      const url = (server === "ours" ? ours : theirs).url("data")
      await using session = await pull_session({ url, arguments: FLOAT_DT })
      for (const op of OPS) apply(session.document!, op)
      await session.force_roundtrip()
      await py.call("client.pull", { name: "r", url, session_id: session.id })
      same(await py.call("data.describe", { name: "r" }), reference)
      await py.call("client.close", { name: "r" })
    })

    it(`our client sees ${server === "ours" ? "our" : "Python's"} server's streams and patches with their dtypes`, async () => {
      const url = (server === "ours" ? ours : theirs).url("data")
      await using session = await pull_session({ url })
      const doc = session.document!
      const done = new Promise<void>((resolve) =>
        session.on_patch(() => {
          if ((doc.select_one({ name: "done" }) as { text?: unknown }).text === OPS.at(-1)) resolve()
        }),
      )
      for (const op of OPS) {
        ;(doc.select_one({ name: "op" }) as TextInput).value = op
        await session.force_roundtrip()
      }
      await done
      const data = (doc.select_one({ name: "cds" }) as ColumnDataSource).data
      const kinds = Object.fromEntries(
        Object.entries(data)
          .sort()
          .map(([k, v]) => [k, v instanceof NDArray ? `NDArray<${v.dtype}>` : v?.constructor.name]),
      )
      assert.deepEqual(kinds, {
        b: "NDArray<bool>",
        dt: "Float64Array",
        f32: "Float32Array",
        f64: "Float64Array",
        i16: "Int16Array",
        i32: "Int32Array",
        i8: "Int8Array",
        s: "ObjectArray",
        u16: "Uint16Array",
        u32: "Uint32Array",
        u8: "Uint8Array",
      })
      // What our client holds, read by Python, is the reference.
      await py.call("client.pull", { name: "r", url, session_id: session.id })
      assert.deepEqual(await py.call<string[]>("docs.reads_back", { name: "r", doc_json: doc.to_json() }), [])
      same(await py.call("data.describe", { name: "r" }), reference)
      await py.call("client.close", { name: "r" })
    })
  }
})
