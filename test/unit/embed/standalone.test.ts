import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Div, Document, Theme, figure } from "../../../src/index.ts"
import { autoload_static, components, file_html, json_item } from "../../../src/embed/standalone.ts"
import { FromCurdoc } from "../../../src/embed/standalone_docs.ts"
import { curdoc } from "../../../src/io/doc.ts"
import { parse_divs, parse_page, run_embed_scripts, script_bodies } from "./standalone_parse.ts"

function plot(name?: string) {
  const p = figure({ width: 200, height: 100, name })
  p.line({ x: [1, 2], y: [3, 4] })
  return p
}

describe("file_html", () => {
  it("gives models without a document a new one they keep, as Python", () => {
    const p = plot()
    assert.equal(p.document, null)
    const page = parse_page(file_html(p, "cdn"))
    assert.notEqual(p.document, null)
    assert.deepEqual((p.document as unknown as Document).roots, [p])
    assert.equal(page.title, "Bokeh Application")
    const [doc] = Object.values(page.calls[0]!.docs_json)
    assert.equal((doc!["roots"] as Array<{ id: string }>)[0]!.id, p.id)
  })

  it("renders a subset of a document's roots without touching the document", () => {
    const doc = new Document()
    const a = plot("a")
    const b = new Div({ text: "b" })
    doc.add_root(a)
    doc.add_root(b)
    doc.title = "mine"
    const page = parse_page(file_html([b], "cdn"))
    assert.deepEqual(doc.roots, [a, b])
    assert.equal(b.document, doc)
    assert.equal(page.title, "mine")
    const [json] = Object.values(page.calls[0]!.docs_json)
    assert.deepEqual(
      (json!["roots"] as Array<{ id: string }>).map((r) => r.id),
      [b.id],
    )
    assert.deepEqual(
      page.divs.map((d) => d.root_id),
      [b.id],
    )
  })

  it("takes a template extending the default page, with template_variables and roots by name", () => {
    const doc = new Document()
    doc.add_root(plot("main"))
    doc.add_root(new Div({ text: "side", name: "side" }))
    const template = `{% block contents %}<h1>{{ heading }}</h1><main>{{ embed(roots.main) }}</main><nav>{{ embed(roots.side) }}</nav>{% endblock %}`
    const html = file_html(doc, { resources: "cdn", title: "T <&>", template, template_variables: { heading: "Hi <there>" } })
    assert.match(html, /<title>T &lt;&amp;&gt;<\/title>/)
    assert.match(html, /<h1>Hi &lt;there&gt;<\/h1><main><div id="[^"]+" data-root-id="[^"]+" style="display: contents;"><\/div><\/main><nav><div /)
    assert.equal(parse_page(html).calls.length, 1)
  })

  it("applies a theme for this output only", () => {
    const doc = new Document()
    const p = plot()
    doc.add_root(p)
    const theme = new Theme({ json: { attrs: { Plot: { background_fill_color: "#123456" } } } })
    const themed = JSON.stringify(parse_page(file_html(doc, { resources: "cdn", theme })).calls[0]!.docs_json)
    assert.match(themed, /#123456/)
    assert.doesNotMatch(JSON.stringify(parse_page(file_html(doc, "cdn")).calls[0]!.docs_json), /#123456/)
    curdoc().theme = theme
    try {
      assert.match(JSON.stringify(parse_page(file_html(doc, { resources: "cdn", theme: FromCurdoc })).calls[0]!.docs_json), /#123456/)
    } finally {
      curdoc().theme = null
    }
  })

  it("refuses an empty document and non-models with BK_ERR_EMBED", () => {
    assert.throws(() => file_html(new Document()), { code: "BK_ERR_EMBED" })
    assert.throws(() => file_html([] as never), { code: "BK_ERR_EMBED" })
    assert.throws(() => file_html({} as never), { code: "BK_ERR_EMBED" })
  })
})

describe("components", () => {
  it("mirrors its argument: one div, a list, or an object of divs; one script for all", () => {
    const [a, b] = [plot(), plot()]
    const [s1, d1] = components(a)
    assert.equal(typeof d1, "string")
    assert.equal(run_embed_scripts(script_bodies(s1)).length, 1)
    const [, list] = components([a, b])
    assert.deepEqual(
      list.flatMap(parse_divs).map((d) => d.root_id),
      [a.id, b.id],
    )
    const [s3, named] = components({ first: a, second: b })
    assert.deepEqual(Object.keys(named), ["first", "second"])
    assert.equal(parse_divs(named.second)[0]!.root_id, b.id)
    const roots = run_embed_scripts(script_bodies(s3))[0]!.render_items[0]!["roots"] as Record<string, string>
    assert.equal(roots[b.id], parse_divs(named.second)[0]!.id)
  })

  it("wrap_script: false gives bare code; wrap_plot_info: false gives RenderRoots", () => {
    const p = plot("named")
    const [script, root] = components(p, { wrap_script: false, wrap_plot_info: false })
    assert.doesNotMatch(script, /<script/)
    assert.equal(run_embed_scripts([script]).length, 1)
    assert.equal(root.id, p.id)
    assert.equal(root.name, "named")
    assert.match(root.elementid, /^[a-z]/i)
  })

  it("refuses what isn't models", () => {
    assert.throws(() => components([] as never), { code: "BK_ERR_EMBED" })
    assert.throws(() => components({ a: 1 } as never), { code: "BK_ERR_EMBED" })
  })
})

describe("json_item and autoload_static", () => {
  it("json_item: target, root id, document with an empty title, and the BokehJS version", () => {
    const p = plot()
    const item = json_item(p, "here")
    assert.equal(item.target_id, "here")
    assert.equal(item.root_id, p.id)
    assert.equal(item.doc.title, "")
    assert.match(item.version, /^3\.10\./)
    assert.equal(json_item(p).target_id, null)
    assert.throws(() => json_item([p] as never), { code: "BK_ERR_EMBED" })
  })

  it("autoload_static: a tag naming the script path and the element the script renders into", () => {
    const p = plot()
    const [js, tag] = autoload_static(p, "cdn", "/static/plot.js")
    const id = /<script src="\/static\/plot\.js" id="([^"]+)"><\/script>/.exec(tag)![1]!
    assert.ok(js.includes(JSON.stringify(id)))
    assert.match(js, /https:\/\/cdn\.bokeh\.org\/bokeh\/release\/bokeh-3\.10\.\d+\.min\.js/)
    assert.match(js, /sha384-/)
    assert.throws(() => autoload_static(p, "cdn", ""), { code: "BK_ERR_EMBED" })
  })
})
