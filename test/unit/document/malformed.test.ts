/**
 * Malformed input to Document.from_json and apply_json_patch fails with a coded error, and a bad
 * patch is all-or-nothing: nothing before the bad event is applied.
 */
import assert from "node:assert/strict"
import { gzipSync } from "node:zlib"
import { describe, it } from "node:test"

import { BokehError, type ErrorCode } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { ColumnDataSource, Div, Slider } from "../../../src/models/main.ts"

function doc_json(roots: unknown[]): unknown {
  return { version: "3.7.0", title: "t", roots }
}

function cds(data: unknown): unknown {
  return { type: "object", name: "ColumnDataSource", id: "s1", attributes: { data: { type: "map", entries: Object.entries(data as object) } } }
}

function nd(array: unknown, shape: number[], dtype = "float64"): unknown {
  return { type: "ndarray", array, shape, dtype, order: "little" }
}

function bytes(data: unknown): unknown {
  return { type: "bytes", data }
}

function code_of(code: ErrorCode): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof BokehError, `a BokehError, got ${String(e)}`)
    assert.equal(e.code, code, (e as Error).message)
    return true
  }
}

function base(): Document {
  const doc = new Document()
  doc.add_root(new Slider({ id: "sl", start: 0, end: 10, value: 1 }))
  doc.add_root(new Div({ id: "div", text: "hi" }))
  doc.add_root(new ColumnDataSource({ id: "src", data: { x: [1, 2, 3] } }))
  return doc
}

const f64 = (values: number[]): string => Buffer.from(new Float64Array(values).buffer).toString("base64")

const bad_values: Array<[string, unknown, ErrorCode, Map<string, Uint8Array>?]> = [
  ["missing buffer", nd(bytes({ id: "nope" }), [2]), "BK_ERR_MISSING_BUFFER"],
  ["bad base64", nd(bytes("@@not*base64!!"), [2]), "BK_ERR_BAD_BASE64"],
  ["bad gzip", nd(bytes(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]).toString("base64")), [2]), "BK_ERR_BAD_GZIP"],
  [
    "truncated ndarray bytes",
    nd(
      bytes(
        Buffer.from(new Float64Array([1, 2]).buffer)
          .subarray(0, 12)
          .toString("base64"),
      ),
      [2],
    ),
    "BK_ERR_BAD_NDARRAY",
  ],
  ["ndarray shape mismatch", nd(bytes(f64([1, 2, 3])), [2, 2]), "BK_ERR_BAD_NDARRAY"],
  ["gzipped ndarray shape mismatch", nd(bytes(gzipSync(Buffer.from(new Float64Array([1, 2, 3]).buffer)).toString("base64")), [4]), "BK_ERR_BAD_NDARRAY"],
]

describe("Document.from_json with malformed input", () => {
  it("unknown model type → BK_ERR_UNKNOWN_MODEL_TYPE", () => {
    const json = doc_json([{ type: "object", name: "NoSuchModel", id: "x1", attributes: {} }])
    assert.throws(() => Document.from_json(json), code_of("BK_ERR_UNKNOWN_MODEL_TYPE"))
  })

  it("dangling ref → BK_ERR_UNKNOWN_REFERENCE", () => {
    const json = doc_json([{ type: "object", name: "Column", id: "c1", attributes: { children: [{ id: "ghost" }] } }])
    assert.throws(() => Document.from_json(json), code_of("BK_ERR_UNKNOWN_REFERENCE"))
  })

  it("wrong-kind value → BK_ERR_INVALID_PROPERTY_VALUE", () => {
    const json = doc_json([{ type: "object", name: "Slider", id: "s", attributes: { start: "not a number", end: 1, value: 0 } }])
    assert.throws(() => Document.from_json(json), code_of("BK_ERR_INVALID_PROPERTY_VALUE"))
  })

  for (const [what, value, code, buffers] of bad_values) {
    it(`${what} → ${code}`, () => {
      assert.throws(() => Document.from_json(doc_json([cds({ x: value })]), buffers), code_of(code))
    })
  }

  it("a binary buffer of the wrong length → BK_ERR_BAD_NDARRAY", () => {
    const buffers = new Map([["b1", new Uint8Array(new Float64Array([1, 2, 3]).buffer)]])
    assert.throws(() => Document.from_json(doc_json([cds({ x: nd(bytes({ id: "b1" }), [2]) })]), buffers), code_of("BK_ERR_BAD_NDARRAY"))
    // the same buffer with the right shape loads
    const ok = Document.from_json(doc_json([cds({ x: nd(bytes({ id: "b1" }), [3]) })]), buffers)
    assert.deepEqual(Array.from((ok.roots[0] as ColumnDataSource).data.x as Float64Array), [1, 2, 3])
  })
})

describe("apply_json_patch with malformed input", () => {
  const bad_events: Array<[string, unknown, ErrorCode, Map<string, Uint8Array>?]> = [
    ["unknown model type", { kind: "RootAdded", model: { type: "object", name: "NoSuchModel", id: "x1", attributes: {} } }, "BK_ERR_UNKNOWN_MODEL_TYPE"],
    ["dangling ref", { kind: "ModelChanged", model: { id: "ghost" }, attr: "text", new: "x" }, "BK_ERR_UNKNOWN_REFERENCE"],
    [
      "dangling ref in value",
      { kind: "RootAdded", model: { type: "object", name: "Column", id: "c1", attributes: { children: [{ id: "ghost" }] } } },
      "BK_ERR_UNKNOWN_REFERENCE",
    ],
    ["wrong-kind value", { kind: "ModelChanged", model: { id: "sl" }, attr: "start", new: "high" }, "BK_ERR_INVALID_PROPERTY_VALUE"],
    ["unknown event kind", { kind: "NoSuchEvent", model: { id: "sl" } }, "BK_ERR_BAD_EVENT"],
    ...bad_values.map(([what, value, code, buffers]): [string, unknown, ErrorCode, Map<string, Uint8Array>?] => [
      what,
      { kind: "ModelChanged", model: { id: "src" }, attr: "data", new: { type: "map", entries: [["x", value]] } },
      code,
      buffers,
    ]),
  ]

  for (const [what, event, code, buffers] of bad_events) {
    it(`${what} → ${code}, and nothing applied`, async () => {
      const doc = base()
      const before = JSON.stringify(doc.to_json())
      await assert.rejects(doc.apply_json_patch({ events: [event] }, buffers, "conn"), code_of(code))
      assert.equal(JSON.stringify(doc.to_json()), before)
    })

    it(`${what} as the 2nd event leaves the 1st unapplied`, async () => {
      const doc = base()
      const events: unknown[] = []
      doc.on_change((e) => events.push(e))
      const before = JSON.stringify(doc.to_json())
      const first = { kind: "ModelChanged", model: { id: "div" }, attr: "text", new: "changed" }
      await assert.rejects(doc.apply_json_patch({ events: [first, event] }, buffers, "conn"), code_of(code))
      assert.equal(JSON.stringify(doc.to_json()), before)
      assert.equal((doc.get_model_by_id("div") as Div).text, "hi")
      assert.equal(events.length, 0, "no change events for a rejected patch")
    })
  }

  it("a valid patch applies (control)", async () => {
    const doc = base()
    await doc.apply_json_patch({ events: [{ kind: "ModelChanged", model: { id: "div" }, attr: "text", new: "changed" }] }, undefined, "conn")
    assert.equal((doc.get_model_by_id("div") as Div).text, "changed")
  })
})
