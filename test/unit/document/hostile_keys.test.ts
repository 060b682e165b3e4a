/**
 * Keys such as `__proto__`, `constructor`, `toString` and `isPrototypeOf` from a peer are plain keys:
 * decoding never changes a prototype or reads an inherited value, and ColumnDataSource events naming
 * such "columns" are refused whole, leaving the source, the session and process-wide built-ins intact.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError, type ErrorCode } from "../../../src/core/errors.ts"
import { Deserializer } from "../../../src/core/serialization/deserializer.ts"
import { Document } from "../../../src/document/document.ts"
import { ColumnDataSource } from "../../../src/models/main.ts"

function code_of(code: ErrorCode): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof BokehError, `a BokehError, got ${String(e)}`)
    assert.equal(e.code, code, (e as Error).message)
    return true
  }
}

function map(entries: Array<[unknown, unknown]>): unknown {
  return { type: "map", entries }
}

function source_doc(): { doc: Document; source: ColumnDataSource } {
  const doc = new Document()
  const source = new ColumnDataSource({ id: "src", data: { x: [1, 2, 3], y: [4, 5, 6] } })
  doc.add_root(source)
  return { doc, source }
}

/** The document still serializes and the source still holds exactly `{x: [1, 2, 3], y: [4, 5, 6]}`. */
function assert_intact(doc: Document, source: ColumnDataSource): void {
  assert.deepEqual(Object.keys(source.data), ["x", "y"])
  assert.deepEqual(source.data["x"], [1, 2, 3])
  assert.deepEqual(source.data["y"], [4, 5, 6])
  assert.equal(Object.getPrototypeOf(source.data), Object.prototype)
  const again = Document.from_json(JSON.parse(JSON.stringify(doc.to_json())))
  assert.deepEqual((again.get_model_by_id("src") as ColumnDataSource).data, { x: [1, 2, 3], y: [4, 5, 6] })
}

function assert_builtins_clean(): void {
  for (const f of [Object, Object.prototype.isPrototypeOf, Object.prototype.toString, Object.prototype.constructor]) {
    assert.deepEqual(Object.keys(f), [], `${f.name} got properties`)
  }
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined)
}

describe("hostile keys in decoded values", () => {
  it("a `__proto__` key in a map rep or a JSON object is an own key, not a prototype change", () => {
    const d = new Deserializer(() => undefined)
    const from_map = d.decode(
      map([
        ["__proto__", map([["polluted", 1]])],
        ["a", 2],
      ]),
    ) as Record<string, unknown>
    assert.equal(Object.getPrototypeOf(from_map), Object.prototype)
    assert.equal(from_map["polluted"], undefined)
    assert.deepEqual(Object.keys(from_map), ["__proto__", "a"])
    assert.deepEqual(Object.getOwnPropertyDescriptor(from_map, "__proto__")?.value, { polluted: 1 })
    const from_json = d.decode(JSON.parse('{"__proto__": {"polluted": 1}, "b": 3}')) as Record<string, unknown>
    assert.equal(Object.getPrototypeOf(from_json), Object.prototype)
    assert.equal(from_json["polluted"], undefined)
    assert.deepEqual(Object.keys(from_json), ["__proto__", "b"])
    assert_builtins_clean()
  })

  it("a JSON object naming `type` or `id` only through its prototype is not a rep or a ref", () => {
    const d = new Deserializer(() => {
      throw new Error("no lookup expected")
    })
    const plain = Object.create({ type: "ref", id: "x" }) as Record<string, unknown>
    plain["a"] = 1
    assert.deepEqual(d.decode(plain), { a: 1 })
  })

  it("an unknown dtype such as `constructor` is a coded error", () => {
    const d = new Deserializer(() => undefined)
    const rep = { type: "ndarray", array: { type: "bytes", data: "AAAAAAAA8D8=" }, shape: [1], dtype: "constructor", order: "little" }
    assert.throws(() => d.decode(rep), code_of("BK_ERR_BAD_NDARRAY"))
  })
})

describe("ColumnDataSource events with inherited names", () => {
  it('ColumnDataChanged with cols ["constructor"] is refused and the session still serializes', async () => {
    const { doc, source } = source_doc()
    const ev = { kind: "ColumnDataChanged", model: { id: "src" }, attr: "data", data: map([["x", [7, 8, 9]]]), cols: ["constructor"] }
    await assert.rejects(doc.apply_json_patch({ events: [ev] }), code_of("BK_ERR_BAD_EVENT"))
    assert_intact(doc, source)
  })

  it("ColumnsPatched on `constructor` or `isPrototypeOf` is refused and writes nothing into built-ins", async () => {
    for (const name of ["constructor", "isPrototypeOf", "__proto__", "toString"]) {
      const { doc, source } = source_doc()
      const ev = { kind: "ColumnsPatched", model: { id: "src" }, attr: "data", patches: map([[name, [[0, "pwned"]]]]) }
      await assert.rejects(doc.apply_json_patch({ events: [ev] }), code_of("BK_ERR_BAD_PATCH"), name)
      assert_intact(doc, source)
      assert_builtins_clean()
    }
  })

  it("ColumnsStreamed naming `toString` instead of a column is refused whole", async () => {
    const { doc, source } = source_doc()
    const ev = {
      kind: "ColumnsStreamed",
      model: { id: "src" },
      attr: "data",
      data: map([
        ["x", [4]],
        ["toString", [5]],
      ]),
      rollover: null,
    }
    await assert.rejects(doc.apply_json_patch({ events: [ev] }), code_of("BK_ERR_BAD_PATCH"))
    assert_intact(doc, source)
  })

  it("a ColumnDataChanged column named `__proto__` is stored as an ordinary column", async () => {
    const { doc, source } = source_doc()
    const ev = { kind: "ColumnDataChanged", model: { id: "src" }, attr: "data", data: map([["__proto__", [1, 2, 3]]]), cols: ["__proto__"] }
    await doc.apply_json_patch({ events: [ev] })
    assert.equal(Object.getPrototypeOf(source.data), Object.prototype)
    assert.deepEqual(Object.keys(source.data), ["x", "y", "__proto__"])
    const again = Document.from_json(JSON.parse(JSON.stringify(doc.to_json())))
    assert.deepEqual(Object.keys((again.get_model_by_id("src") as ColumnDataSource).data), ["x", "y", "__proto__"])
    assert_builtins_clean()
  })

  it("a patch event naming a property the model lacks (`constructor`) is a coded error", async () => {
    const { doc, source } = source_doc()
    for (const kind of ["ColumnDataChanged", "ColumnsStreamed", "ColumnsPatched"]) {
      const ev = { kind, model: { id: "src" }, attr: "constructor", data: map([["x", [1]]]), patches: map([]), cols: null }
      await assert.rejects(doc.apply_json_patch({ events: [ev] }), (e: unknown) => e instanceof BokehError, kind)
    }
    assert_intact(doc, source)
  })
})

describe("ColumnDataSource events are checked against the source's columns and array kinds", () => {
  function numeric_doc(): { doc: Document; source: ColumnDataSource } {
    const doc = new Document()
    const source = new ColumnDataSource({ id: "src", data: { x: new Float64Array([1, 2, 3]), s: ["a", "b", "c"] } })
    doc.add_root(source)
    return { doc, source }
  }

  it('ColumnDataChanged with non-array columns is refused: {x: "notarray", y: 5}', async () => {
    const { doc, source } = source_doc()
    for (const cols of [null, ["x", "y"]]) {
      const ev = {
        kind: "ColumnDataChanged",
        model: { id: "src" },
        attr: "data",
        data: map([
          ["x", "notarray"],
          ["y", 5],
        ]),
        cols,
      }
      await assert.rejects(doc.apply_json_patch({ events: [ev] }), code_of("BK_ERR_INVALID_PROPERTY_VALUE"))
    }
    assert_intact(doc, source)
  })

  it("a numeric column takes only numbers from patches and streams", async () => {
    const { doc, source } = numeric_doc()
    const bad = [
      { kind: "ColumnsPatched", model: { id: "src" }, attr: "data", patches: map([["x", [[0, "oops"]]]]) },
      { kind: "ColumnsPatched", model: { id: "src" }, attr: "data", patches: map([["x", [[{ type: "slice", start: 0, stop: 2, step: null }, [1, null]]]]]) },
      {
        kind: "ColumnsStreamed",
        model: { id: "src" },
        attr: "data",
        data: map([
          ["x", ["oops"]],
          ["s", ["d"]],
        ]),
        rollover: null,
      },
    ]
    for (const ev of bad) await assert.rejects(doc.apply_json_patch({ events: [ev] }), code_of("BK_ERR_BAD_PATCH"), JSON.stringify(ev))
    assert.deepEqual(source.data["x"], new Float64Array([1, 2, 3]))
    assert.deepEqual(source.data["s"], ["a", "b", "c"])
    // Numbers are fine, and a list column takes anything.
    await doc.apply_json_patch({
      events: [
        {
          kind: "ColumnsPatched",
          model: { id: "src" },
          attr: "data",
          patches: map([
            ["x", [[0, 10]]],
            ["s", [[0, 7]]],
          ]),
        },
        {
          kind: "ColumnsStreamed",
          model: { id: "src" },
          attr: "data",
          data: map([
            ["x", [4]],
            ["s", [null]],
          ]),
          rollover: null,
        },
      ],
    })
    assert.deepEqual(source.data["x"], new Float64Array([10, 2, 3, 4]))
    assert.deepEqual(source.data["s"], [7, "b", "c", null])
  })
})
