/**
 * Our standalone output against Python Bokeh 3.9's for the same document (recorded by
 * scripts/python/record_standalone.py into test/fixtures/standalone/python_embed.json): the same
 * models (ids aside), render items of the same shape, the same divs, the same kind of scripts.
 */
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, it } from "node:test"

import { ColumnDataSource, Div, Document, Line, LinearAxis, Plot, Range1d, Title } from "../../src/index.ts"
import { required_bundles } from "../../src/embed/bundle.ts"
import { components, file_html, json_item } from "../../src/embed/standalone.ts"
import { canonical_doc, canonical_item, parse_divs, parse_page, run_embed_scripts, script_bodies, type EmbedCall } from "../unit/embed/standalone_parse.ts"
import { bokehjs_models_differ } from "./bokehjs_compare.ts"

const recorded = JSON.parse(readFileSync(new URL("../fixtures/standalone/python_embed.json", import.meta.url), "utf8")) as {
  file_html: string
  components: { script: string; divs: string[] }
  json_item: { target_id: string; root_id: string; doc: Record<string, unknown>; version: string }
}

/** The document record_standalone.py builds. */
function build(): { doc: Document; plot: Plot; div: Div } {
  const source = new ColumnDataSource({ data: { x: [1, 2, 3], y: [1, 4, 9] }, name: "source" })
  const plot = new Plot({
    name: "plot",
    width: 300,
    height: 200,
    title: new Title({ text: "recorded" }),
    x_range: new Range1d({ start: 0, end: 4 }),
    y_range: new Range1d({ start: 0, end: 10 }),
  })
  plot.add_glyph(new Line({ x: "x", y: "y", line_width: 2 }), source)
  plot.add_layout(new LinearAxis(), "below")
  plot.add_layout(new LinearAxis(), "left")
  const div = new Div({ text: "<b>hello</b> & 'quotes' </script>", name: "note" })
  const doc = new Document()
  doc.title = "Recorded"
  doc.add_root(plot)
  doc.add_root(div)
  return { doc, plot, div }
}

/** The one document of an embed call, and its render items with ids canonicalized. */
function canonical_call(call: EmbedCall): { doc: Record<string, unknown>; items: unknown[] } {
  const docs = Object.entries(call.docs_json)
  assert.equal(docs.length, 1)
  const [docid, doc] = docs[0]!
  const ids = new Map<string, string>()
  canonical_doc(doc, ids)
  for (const item of call.render_items) assert.equal(item["docid"], docid, "the render item names the document")
  return { doc, items: call.render_items.map((i) => canonical_item(i, ids)) }
}

/** Same models as BokehJS loads them, and render items of the same shape (ids by position). */
function assert_same_call(ours: EmbedCall, theirs: EmbedCall): void {
  const a = canonical_call(ours)
  const b = canonical_call(theirs)
  assert.deepEqual(bokehjs_models_differ(a.doc, b.doc), [])
  assert.deepEqual(a.items, b.items)
}

describe("standalone output has Python Bokeh 3.9's structure", () => {
  it("file_html: same document, render items, root divs, title; the bundles Python loads are among ours", () => {
    const { doc } = build()
    const ours = parse_page(file_html(doc, { resources: "cdn", title: "Recorded page" }))
    const theirs = parse_page(recorded.file_html)
    assert.equal(ours.title, theirs.title)
    assert.equal(ours.calls.length, 1)
    assert.equal(theirs.calls.length, 1)
    assert_same_call(ours.calls[0]!, theirs.calls[0]!)
    // Each root's div carries the element id the render item gives it.
    for (const page of [ours, theirs]) {
      const item = page.calls[0]!.render_items[0]!
      assert.deepEqual(
        page.divs.map((d) => [d.root_id, d.id]),
        Object.entries(item["roots"] as object),
      )
    }
    const bundle = (src: string) => /release\/(.*)-\d+\.\d+\.\d+\.min\.js$/.exec(src)![1]!
    const our_bundles: string[] = ours.script_srcs.map(bundle)
    // Ours are what required_bundles chooses for the document (the server page's choice); Python's must be among them.
    assert.deepEqual(our_bundles, required_bundles(doc.all_models) as string[])
    for (const b of theirs.script_srcs.map(bundle)) assert.ok(our_bundles.includes(b), `Python loads ${b}`)
  })

  it("components: one script whose embed call matches Python's, one div per model", () => {
    const { plot, div } = build()
    const [script, divs] = components([plot, div])
    const ours = run_embed_scripts(script_bodies(script))
    const theirs = run_embed_scripts(script_bodies(recorded.components.script))
    assert.equal(ours.length, 1)
    assert_same_call(ours[0]!, theirs[0]!)
    assert.equal(divs.length, recorded.components.divs.length)
    const roots = ours[0]!.render_items[0]!["roots"] as Record<string, string>
    assert.deepEqual(
      divs.flatMap(parse_divs).map((d) => [d.root_id, d.id]),
      Object.entries(roots),
    )
    assert.deepEqual(
      recorded.components.divs.flatMap(parse_divs).map((d) => d.root_id !== null),
      [true, true],
    )
  })

  it("json_item: the same keys, target, root and document", () => {
    const { plot } = build()
    const ours = json_item(plot, "target")
    const theirs = recorded.json_item
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort())
    assert.equal(ours.target_id, theirs.target_id)
    const ids_ours = new Map<string, string>()
    const ids_theirs = new Map<string, string>()
    canonical_doc(ours.doc as unknown as Record<string, unknown>, ids_ours)
    canonical_doc(theirs.doc, ids_theirs)
    assert.deepEqual(bokehjs_models_differ(ours.doc, theirs.doc), [])
    assert.equal(ids_ours.get(ours.root_id), ids_theirs.get(theirs.root_id))
    assert.equal(ours.doc.title, "")
  })
})
