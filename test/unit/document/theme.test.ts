/**
 * Document.theme, with Python Bokeh's semantics: themed values act as defaults (an app's set wins),
 * models get them when they join and lose them when they leave, a theme change on a live document is
 * a set of ordinary ModelChanged events (PATCH-DOC on the wire), and themed values are serialized
 * (Python's properties_with_values(include_defaults=False) includes themed keys).
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { ThemeError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { ModelChangedEvent, type DocumentChangedEvent } from "../../../src/document/events.ts"
import { Column, Div, Grid, Plot, Title } from "../../../src/models/main.ts"
import { Theme, built_in_themes, default_theme } from "../../../src/themes/main.ts"

const theme = new Theme({ json: { attrs: { Div: { text: "themed", width: 100 }, Grid: { grid_line_dash: [6, 4] } } } })
const other = new Theme({ json: { attrs: { Div: { text: "other" } } } })

function changes(doc: Document): Array<[string, string, unknown, unknown]> {
  const out: Array<[string, string, unknown, unknown]> = []
  doc.on_change((e: DocumentChangedEvent) => {
    if (e instanceof ModelChangedEvent) out.push([e.model.id, e.attr, e.old, e.new_])
  })
  return out
}

describe("Document.theme", () => {
  it("defaults to default_theme; accepts a Theme, a built-in name or null; rejects other names", () => {
    const doc = new Document()
    assert.equal(doc.theme, default_theme)
    doc.theme = "dark_minimal"
    assert.equal(doc.theme, built_in_themes.dark_minimal)
    doc.theme = theme
    assert.equal(doc.theme, theme)
    doc.theme = null
    assert.equal(doc.theme, default_theme)
    assert.throws(
      () => (doc.theme = "nope" as never),
      (err: unknown) => err instanceof ThemeError && err.code === "BK_ERR_UNKNOWN_THEME" && /available themes are caliber/.test(err.message),
    )
  })

  it("applies to models already in the document and to models joining later", () => {
    const doc = new Document()
    const a = new Div()
    doc.add_root(a)
    doc.theme = theme
    assert.equal(a.text, "themed")
    const b = new Div()
    doc.add_root(b)
    assert.equal(b.text, "themed")
    const c = new Div()
    const col = new Column({ children: [] })
    doc.add_root(col)
    col.children = [c] // joins through a reference
    assert.equal(c.text, "themed")
    assert.deepEqual(a.themed_values(), { text: "themed", width: 100 })
  })

  it("never overrides what the app set, before or after the theme", () => {
    const doc = new Document()
    const before = new Div({ text: "mine" })
    doc.add_root(before)
    doc.theme = theme
    assert.equal(before.text, "mine")
    assert.equal(before.width, 100)
    const after = new Div()
    doc.add_root(after)
    after.text = "set later"
    doc.theme = other
    assert.equal(after.text, "set later")
    doc.theme = null
    assert.equal(after.text, "set later")
    assert.equal(after.width, null) // back to the default
  })

  it("a constructor value equal to the default is no set (Python ignores no-op sets): the theme wins", () => {
    const doc = new Document()
    doc.theme = theme
    const div = new Div({ text: "" })
    doc.add_root(div)
    assert.equal(div.text, "themed")
  })

  it("setting a themed property to its default while themed is the app's choice and survives theme changes", () => {
    const doc = new Document()
    doc.theme = theme
    const div = new Div()
    doc.add_root(div)
    div.text = ""
    doc.theme = other
    assert.equal(div.text, "")
  })

  it("a theme change is a ModelChanged event per changed property (what Python sends as PATCH-DOC)", () => {
    const doc = new Document()
    const div = new Div({ id: "d" })
    doc.add_root(div)
    const events = changes(doc)
    const seen: unknown[] = []
    div.on_change("text", (_attr, old, value) => seen.push([old, value]))
    doc.theme = theme
    assert.deepEqual(events, [
      ["d", "text", "", "themed"],
      ["d", "width", null, 100],
    ])
    assert.deepEqual(seen, [["", "themed"]])
    events.length = 0
    doc.theme = other
    assert.deepEqual(events, [
      ["d", "text", "themed", "other"],
      ["d", "width", 100, null],
    ])
    events.length = 0
    doc.theme = other // same theme: nothing
    assert.deepEqual(events, [])
  })

  it("the PATCH-DOC a theme change makes carries the themed values, as a plain set would", () => {
    const doc = new Document()
    const div = new Div({ id: "d" })
    doc.add_root(div)
    doc.to_json() // the peer knows every model
    const events: DocumentChangedEvent[] = []
    doc.on_change((e) => events.push(e))
    doc.theme = theme
    const patch = doc.create_json_patch(events as never)
    assert.deepEqual(patch.content.events, [
      { kind: "ModelChanged", model: { id: "d" }, attr: "text", new: "themed" },
      { kind: "ModelChanged", model: { id: "d" }, attr: "width", new: 100 },
    ])
  })

  it("models joining a themed document send no events: their values travel with their full serialization", () => {
    const doc = new Document()
    doc.theme = theme
    const events = changes(doc)
    doc.add_root(new Div({ id: "n" }))
    assert.deepEqual(events, [])
    const json = doc.to_json() as unknown as { roots: Array<{ id: string; attributes: Record<string, unknown> }> }
    assert.deepEqual(json.roots[0]!.attributes, { text: "themed", width: 100 })
  })

  it("themed values are serialized (Python includes themed keys); unthemed defaults are not", () => {
    const doc = new Document()
    const div = new Div({ id: "d" })
    doc.add_root(div)
    const plain = doc.to_json() as unknown as { roots: Array<{ attributes?: Record<string, unknown> }> }
    assert.equal(plain.roots[0]!.attributes?.["text"], undefined)
    doc.theme = theme
    assert.deepEqual(div.properties_with_values(), { text: "themed", width: 100 })
    doc.theme = null
    assert.deepEqual(div.properties_with_values(), {})
  })

  it("models leaving the document lose the theme's values without document events", () => {
    const doc = new Document()
    doc.theme = theme
    const div = new Div()
    doc.add_root(div)
    const events = changes(doc)
    doc.remove_root(div)
    assert.equal(div.text, "")
    assert.equal(div.themed_values(), null)
    assert.deepEqual(events, [])
  })

  it("each model gets its own copy of a container value", () => {
    const doc = new Document()
    doc.theme = theme
    const [g1, g2] = [new Grid(), new Grid()]
    doc.add_root(new Column({ children: [] }))
    doc.add_root(g1)
    doc.add_root(g2)
    ;(g1.grid_line_dash as number[]).push(1)
    assert.deepEqual(g2.grid_line_dash, [6, 4])
    assert.deepEqual(theme.values_for(Grid)["grid_line_dash"], [6, 4])
  })

  it("costs nothing on unthemed documents: models carry no theme state", () => {
    const doc = new Document()
    const plot = new Plot({ title: new Title({ text: "x" }) })
    doc.add_root(plot)
    for (const model of doc.all_models) assert.equal(model._theme_state, undefined)
  })
})
