/**
 * A PATCH-DOC is applied all-or-nothing: every event is checked against the state the events before
 * it in the same patch leave, so a patch that would fail part-way is refused before anything changes,
 * and one that is valid in order is accepted.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError, type ErrorCode } from "../../../src/core/errors.ts"
import { NDArray } from "../../../src/core/util/ndarray.ts"
import { Document } from "../../../src/document/document.ts"
import type { DocumentChangedEvent } from "../../../src/document/events.ts"
import { ColumnDataSource, Div } from "../../../src/models/main.ts"

const map = (entries: Array<[unknown, unknown]>) => ({ type: "map", entries })
const src = { id: "src" }
const nd = (values: number[], shape: number[]) => ({ type: "ndarray", array: values, shape, dtype: "float64", order: "little" })

function code_of(code: ErrorCode): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof BokehError, `a BokehError, got ${String(e)}`)
    assert.equal(e.code, code, (e as Error).message)
    return true
  }
}

function setup(): { doc: Document; source: ColumnDataSource; div: Div; seen: DocumentChangedEvent[] } {
  const doc = new Document()
  const source = new ColumnDataSource({ id: "src", data: { x: [1, 2, 3], y: [4, 5, 6] } })
  const div = new Div({ id: "div", text: "before" })
  doc.add_root(source)
  doc.add_root(div)
  const seen: DocumentChangedEvent[] = []
  doc.on_change((e) => seen.push(e))
  return { doc, source, div, seen }
}

/** Nothing changed: data, the div, the title, and no event reached subscribers. */
function assert_untouched({ doc, source, div, seen }: ReturnType<typeof setup>): void {
  assert.deepEqual(source.data, { x: [1, 2, 3], y: [4, 5, 6] })
  assert.equal(div.text, "before")
  assert.notEqual(doc.title, "changed")
  assert.deepEqual(seen, [])
}

const set_div = { kind: "ModelChanged", model: { id: "div" }, attr: "text", new: "changed" }
const set_title = { kind: "TitleChanged", title: "changed" }

describe("a PATCH-DOC is all-or-nothing", () => {
  it("an event that fails only after an earlier one shortened the data refuses the whole patch", async () => {
    const s = setup()
    const events = [
      set_div,
      {
        kind: "ModelChanged",
        model: src,
        attr: "data",
        new: map([
          ["x", [1]],
          ["y", [1]],
        ]),
      },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["x", [[2, 30]]]]) },
    ]
    await assert.rejects(s.doc.apply_json_patch({ events }), code_of("BK_ERR_BAD_PATCH"))
    assert_untouched(s)
  })

  it("a stream missing a column an earlier ColumnDataChanged added refuses the whole patch", async () => {
    const s = setup()
    const events = [
      set_title,
      { kind: "ColumnDataChanged", model: src, attr: "data", data: map([["z", [7, 8, 9]]]), cols: ["z"] },
      {
        kind: "ColumnsStreamed",
        model: src,
        attr: "data",
        data: map([
          ["x", [4]],
          ["y", [7]],
        ]),
        rollover: null,
      },
    ]
    await assert.rejects(s.doc.apply_json_patch({ events }), code_of("BK_ERR_BAD_PATCH"))
    assert_untouched(s)
  })

  it("a 2-d patch of a cell an earlier row patch replaced with a number refuses the whole patch", async () => {
    const s = setup()
    const events = [
      {
        kind: "ColumnDataChanged",
        model: src,
        attr: "data",
        data: map([["img", [nd([1, 2, 3, 4], [2, 2]), nd([5, 6, 7, 8], [2, 2]), nd([0, 0, 0, 0], [2, 2])]]]),
        cols: ["img"],
      },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["img", [[0, 99]]]]) },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["img", [[[0, 1, 1], 42]]]]) },
    ]
    await assert.rejects(s.doc.apply_json_patch({ events }), code_of("BK_ERR_BAD_PATCH"))
    assert_untouched(s)
  })

  it("checking never touches the source's arrays, even for events that are checked and then refused", async () => {
    const s = setup()
    const x = s.source.data["x"]
    const events = [
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["x", [[0, 100]]]]) },
      {
        kind: "ColumnsStreamed",
        model: src,
        attr: "data",
        data: map([
          ["x", [4]],
          ["y", [7]],
        ]),
        rollover: 2,
      },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["x", [[0, 5]]]]) },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["x", [[2, 0]]]]) }, // rollover 2 left 2 rows
    ]
    await assert.rejects(s.doc.apply_json_patch({ events }), code_of("BK_ERR_BAD_PATCH"))
    assert.equal(s.source.data["x"], x)
    assert_untouched(s)
  })

  it("events valid in order are accepted even when the current data alone would refuse them", async () => {
    const s = setup()
    const events = [
      {
        kind: "ColumnsStreamed",
        model: src,
        attr: "data",
        data: map([
          ["x", [4]],
          ["y", [7]],
        ]),
        rollover: null,
      },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["x", [[3, 40]]]]) },
      { kind: "ColumnDataChanged", model: src, attr: "data", data: map([["img", [1, 2, 3, nd([1, 2, 3, 4], [2, 2])]]]), cols: ["img"] },
      { kind: "ColumnsPatched", model: src, attr: "data", patches: map([["img", [[[3, 1, 0], 30]]]]) },
      set_div,
    ]
    await s.doc.apply_json_patch({ events })
    assert.deepEqual(s.source.data["x"], [1, 2, 3, 40])
    assert.deepEqual(s.source.data["y"], [4, 5, 6, 7])
    assert.deepEqual(Array.from(((s.source.data["img"] as unknown[])[3] as NDArray).data as Float64Array), [1, 2, 30, 4])
    assert.equal(s.div.text, "changed")
    // The ColumnDataChanged (merged into the current columns) is reported as Python's set_from_json reports it: a ColumnDataChanged of the data.
    assert.deepEqual(
      s.seen.map((e) => (e as { kind?: string }).kind ?? e.constructor.name),
      ["ColumnsStreamed", "ColumnsPatched", "ColumnDataChanged", "ColumnsPatched", "ModelChanged"],
    )
  })
})

describe("app callbacks while a patch applies", () => {
  it("a callback that throws does not stop the rest of the patch; its error is reported afterwards", async () => {
    const s = setup()
    s.div.on_change("text", () => {
      throw new Error("app bug")
    })
    const events = [
      set_div,
      {
        kind: "ColumnsStreamed",
        model: src,
        attr: "data",
        data: map([
          ["x", [4]],
          ["y", [7]],
        ]),
        rollover: null,
      },
      set_title,
    ]
    await assert.rejects(s.doc.apply_json_patch({ events }), /app bug/)
    assert.equal(s.div.text, "changed")
    assert.deepEqual(s.source.data["x"], [1, 2, 3, 4])
    assert.equal(s.doc.title, "changed")
  })
})
