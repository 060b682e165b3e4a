/**
 * Columns keep their NumPy dtype through decoding, stream, patch and encoding, as in Python's server:
 * bool arrays stay bool, 1-D object/string arrays stay object ndarrays.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { ColumnDataSource, FactorRange } from "../../../src/models/main.ts"
import { NDArray, ObjectArray } from "../../../src/core/util/ndarray.ts"
import { apply_json_patch } from "../../../src/document/patches.ts"

const bool_rep = (values: boolean[]) => ({
  type: "ndarray",
  array: { type: "bytes", data: Buffer.from(values.map(Number)).toString("base64") },
  shape: [values.length],
  dtype: "bool",
  order: "little",
})
const object_rep = (values: unknown[]) => ({ type: "ndarray", array: values, shape: [values.length], dtype: "object", order: "little" })

/** A document as a peer (Python) sends it: one source with a bool and a string column. */
function peer_doc(): { doc: Document; source: ColumnDataSource } {
  const doc = Document.from_json({
    roots: [
      {
        type: "object",
        name: "ColumnDataSource",
        id: "cds",
        attributes: {
          data: {
            type: "map",
            entries: [
              ["flag", bool_rep([true, false])],
              ["name", object_rep(["a", "b"])],
            ],
          },
        },
      },
    ],
  })
  return { doc, source: doc.roots[0] as ColumnDataSource }
}

/** The data map of the source as our to_json writes it, by column (values decoded for comparison). */
function sent_columns(doc: Document): Record<string, { dtype: string; values: unknown[] }> {
  const rep = doc.to_json_with_buffers("lists").doc.roots[0] as { attributes: { data: { entries: Array<[string, { dtype: string; array: unknown[] }]> } } }
  return Object.fromEntries(rep.attributes.data.entries.map(([k, v]) => [k, { dtype: v.dtype, values: v.array }]))
}

describe("bool columns", () => {
  it("stay bool after a stream with rollover and a later patch (no [0, true, 1])", () => {
    const { doc, source } = peer_doc()
    source.stream({ flag: [true, true], name: ["c", "d"] }, 3)
    source.patch({
      flag: [
        [0, true],
        [1, 0.5],
      ],
    })
    const flag = source.data["flag"] as unknown as NDArray
    assert.ok(flag instanceof NDArray)
    assert.equal(flag.dtype, "bool")
    assert.deepEqual(sent_columns(doc)["flag"], { dtype: "bool", values: [true, true, true] })
  })

  it("stay bool when a peer streams and patches them", async () => {
    const { doc, source } = peer_doc()
    await apply_json_patch(doc, {
      events: [
        {
          kind: "ColumnsStreamed",
          model: { id: "cds" },
          attr: "data",
          data: {
            type: "map",
            entries: [
              ["flag", bool_rep([true])],
              ["name", object_rep(["c"])],
            ],
          },
          rollover: null,
        },
      ],
    })
    await apply_json_patch(doc, {
      events: [{ kind: "ColumnsPatched", model: { id: "cds" }, attr: "data", patches: { type: "map", entries: [["flag", [[1, true]]]] } }],
    })
    assert.deepEqual(sent_columns(doc)["flag"], { dtype: "bool", values: [true, true, true] })
    assert.equal((source.data["flag"] as unknown as NDArray).dtype, "bool")
  })

  it("a bool column sent as a list of booleans is stored as bytes too", () => {
    const doc = Document.from_json({
      roots: [
        {
          type: "object",
          name: "ColumnDataSource",
          id: "c",
          attributes: { data: { type: "map", entries: [["f", { type: "ndarray", array: [true, false], shape: [2], dtype: "bool" }]] } },
        },
      ],
    })
    const f = (doc.roots[0] as ColumnDataSource).data["f"] as unknown as NDArray
    assert.deepEqual([f.dtype, [...(f.data as Uint8Array)]], ["bool", [1, 0]])
    assert.deepEqual(sent_columns(doc)["f"], { dtype: "bool", values: [true, false] })
  })
})

describe("1-D object and string arrays", () => {
  it("decode to arrays that go back out as object ndarrays, also after stream and patch", () => {
    const { doc, source } = peer_doc()
    const name = source.data["name"]
    assert.ok(Array.isArray(name) && name instanceof ObjectArray)
    assert.deepEqual(sent_columns(doc)["name"], { dtype: "object", values: ["a", "b"] })
    source.stream({ flag: [true], name: ["c"] }, 2)
    source.patch({ name: [[0, "B"]] })
    assert.deepEqual(sent_columns(doc)["name"], { dtype: "object", values: ["B", "c"] })
  })

  it("are accepted where a list is expected (Python's Seq takes NumPy arrays)", () => {
    const doc = Document.from_json({ roots: [{ type: "object", name: "FactorRange", id: "f", attributes: { factors: object_rep(["x", "y"]) } }] })
    const range = doc.roots[0] as FactorRange
    assert.deepEqual([...(range.factors as string[])], ["x", "y"])
    const rep = doc.to_json().roots[0] as { attributes: { factors: unknown } }
    assert.deepEqual(rep.attributes.factors, object_rep(["x", "y"]))
  })
})

describe("held streams", () => {
  it("combine bool and string chunks keeping their dtypes", () => {
    const { doc, source } = peer_doc()
    const seen: unknown[] = []
    doc.on_change((e) => seen.push(e))
    doc.hold("combine")
    source.stream({ flag: new NDArray(Uint8Array.from([1]), [1], "bool"), name: ObjectArray.from(["c"]) })
    source.stream({ flag: new NDArray(Uint8Array.from([0]), [1], "bool"), name: ObjectArray.from(["d"]) })
    doc.unhold()
    assert.equal(seen.length, 1)
    const data = (seen[0] as { data: Record<string, unknown> }).data
    assert.ok(data["flag"] instanceof NDArray && data["flag"].dtype === "bool")
    assert.deepEqual([...((data["flag"] as NDArray).data as Uint8Array)], [1, 0])
    assert.ok(data["name"] instanceof ObjectArray)
    assert.deepEqual(sent_columns(doc)["flag"], { dtype: "bool", values: [true, false, true, false] })
  })
})
