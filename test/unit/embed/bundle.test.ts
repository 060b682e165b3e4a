import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { bundle_trigger_names, required_bundles } from "../../../src/embed/bundle.ts"
import { server_html_page_for_session } from "../../../src/embed/server_page.ts"
import { load_resource_hashes } from "../../../src/embed/resources.ts"
import { start_server } from "../server/helpers.ts"
import {
  ColumnDataSource,
  DataTable,
  Div,
  Document,
  Label,
  LinearAxis,
  Markdown,
  Paragraph,
  PreText,
  Slider,
  StringFormatter,
  TableColumn,
  TeX,
  TeXGlyph,
  Title,
  column,
  figure,
} from "../../../src/index.ts"

describe("required_bundles: the BokehJS bundles a document needs (Python's bundle.py rules)", () => {
  it("a plot alone needs only bokeh", () => {
    assert.deepEqual(required_bundles([figure()]), ["bokeh"])
    assert.deepEqual(required_bundles([]), ["bokeh"])
  })

  it("widgets need bokeh-widgets; tables bokeh-widgets and bokeh-tables, in load order", () => {
    assert.deepEqual(required_bundles([column([new Slider({ start: 0, end: 1, value: 0 }), figure()])]), ["bokeh", "bokeh-widgets"])
    const table = new DataTable({ source: new ColumnDataSource({ data: { a: [1] } }), columns: [new TableColumn({ field: "a" })] })
    assert.deepEqual(required_bundles([figure({ output_backend: "webgl" }), table]), ["bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables"])
    // Table parts outside a table still need the bundle that defines them (Python would leave it out).
    assert.deepEqual(required_bundles([new TableColumn({ field: "a", formatter: new StringFormatter() })]), ["bokeh", "bokeh-widgets", "bokeh-tables"])
  })

  it("webgl only for a plot whose output_backend is webgl", () => {
    assert.deepEqual(required_bundles([figure({ output_backend: "svg" })]), ["bokeh"])
    assert.deepEqual(required_bundles([figure({ output_backend: "webgl" })]), ["bokeh", "bokeh-gl"])
  })

  it("mathjax for math-text models and TeX in the text properties Python looks at", () => {
    const tex_cases = [
      new TeX({ text: "x^2" }),
      new TeXGlyph({ x: 0, y: 0, text: "x" }),
      new Label({ x: 0, y: 0, text: "energy $$E = mc^2$$" }),
      new Title({ text: "\\(x\\)" }),
      new Slider({ start: 0, end: 1, value: 0, title: "\\[\\alpha\\]" }),
      new LinearAxis({ axis_label: "$$t$$" }),
      new LinearAxis({ major_label_overrides: { "1": "$$\\pi$$" } }),
      new Div({ text: "$$a$$" }),
      new Paragraph({ text: "$$a$$" }),
      new PreText({ text: "$$a$$" }),
      new Markdown({ text: "$$a$$" }),
    ]
    for (const model of tex_cases) assert.ok(required_bundles([model]).includes("bokeh-mathjax"), String(model))
    const plain_cases = [
      new Label({ x: 0, y: 0, text: "costs $5 and $6" }),
      new Div({ text: "$$a$$", disable_math: true }),
      new Div({ text: "$$a$$", render_as_text: true }),
      new Paragraph({ text: "$$a$$", disable_math: true }),
      new LinearAxis({ axis_label: "$t$" }),
      new Slider({ start: 0, end: 1, value: 0, title: "\\(unclosed" }),
    ]
    for (const model of plain_cases) assert.ok(!required_bundles([model]).includes("bokeh-mathjax"), String(model))
  })

  it("looks at every model reachable from the ones given", () => {
    const plot = figure()
    plot.add_layout(new Label({ x: 0, y: 0, text: "$$x$$" }))
    const doc = new Document()
    doc.add_root(column([plot]))
    assert.deepEqual(required_bundles(doc.roots), ["bokeh", "bokeh-mathjax"])
  })

  it("trigger names: the types whose every instance needs a bundle", () => {
    const names = bundle_trigger_names()
    assert.ok(names["bokeh-widgets"].includes("Slider") && names["bokeh-widgets"].includes("DataTable"))
    assert.ok(names["bokeh-tables"].includes("DataTable") && names["bokeh-tables"].includes("NumberFormatter") && !names["bokeh-tables"].includes("Slider"))
    assert.deepEqual(names["bokeh-gl"], [])
    assert.ok(names["bokeh-mathjax"].includes("TeX"))
    assert.ok(!Object.values(names).flat().includes("Plot"))
  })
})

describe("the app page's resources", () => {
  it("loads the bundles its document needs up front and tells the loader where the others are", async () => {
    await load_resource_hashes()
    const doc = new Document()
    doc.add_root(figure())
    const page = await server_html_page_for_session(doc, { token: "t", resources: "server", root_url: "/p/" })
    const srcs = [...page.matchAll(/<script type="text\/javascript" src="([^"]+)"/g)].map((m) => m[1])
    assert.equal(srcs.length, 1)
    assert.match(srcs[0]!, /^\/p\/static\/js\/bokeh\.min\.js\?v=[0-9a-f]{128}$/)
    for (const name of ["bokeh-widgets", "bokeh-tables", "bokeh-gl", "bokeh-mathjax"])
      assert.match(page, new RegExp(`"${name}":"/p/static/js/${name}\\.min\\.js\\?v=[0-9a-f]{128}"`))

    doc.add_root(new Slider({ start: 0, end: 1, value: 0 }))
    const cdn = await server_html_page_for_session(doc, { token: "t", resources: "cdn", root_url: "/" })
    const cdn_srcs = [...cdn.matchAll(/<script type="text\/javascript" src="([^"]+)"/g)].map((m) => m[1])
    assert.deepEqual(cdn_srcs, ["https://cdn.bokeh.org/bokeh/release/bokeh-3.10.0.min.js", "https://cdn.bokeh.org/bokeh/release/bokeh-widgets-3.10.0.min.js"])
    assert.match(cdn, /"bokeh-tables":"https:\/\/cdn\.bokeh\.org\/bokeh\/release\/bokeh-tables-3\.10\.0\.min\.js"/)
  })

  it("inline: the bundles are in the page, and nothing else is loaded from a URL", async () => {
    const doc = new Document()
    doc.add_root(new Slider({ start: 0, end: 1, value: 0 }))
    const page = await server_html_page_for_session(doc, { token: "t", resources: "inline", root_url: "/" })
    assert.equal([...page.matchAll(/<script[^>]* src=/g)].length, 0)
    assert.ok(page.length > 1_700_000, "bokeh and bokeh-widgets are inlined")
    // Bundles a session may need later still load from the server.
    assert.match(page, /"bokeh-mathjax":"\/static\/js\/bokeh-mathjax\.min\.js/)
  })

  it("autoload.js names the document's bundles, or carries their code with --resources inline", async () => {
    const app = (doc: Document) => doc.add_root(new Slider({ start: 0, end: 1, value: 0 }))
    for (const resources of ["server", "inline"] as const) {
      const server = await start_server({ "/app": app }, { resources })
      try {
        const js = await (await fetch(`http://127.0.0.1:${server.port}/app/autoload.js?bokeh-autoload-element=e1`)).text()
        const urls = JSON.parse(/const js_urls = (\[.*\]);/.exec(js)![1]!) as string[]
        const sources = JSON.parse(/const js_sources = (\[.*\]);/.exec(js)![1]!) as string[]
        if (resources === "server") {
          assert.deepEqual(
            urls.map((u) => u.replace(/\?v=.*/, "")),
            ["/static/js/bokeh.min.js", "/static/js/bokeh-widgets.min.js"],
          )
          assert.deepEqual(sources, [])
        } else {
          assert.deepEqual(urls, [])
          assert.equal(sources.length, 2)
          assert.ok(sources[0]!.length > 1_000_000)
        }
        // The loader knows where the other bundles are.
        assert.match(js, /"bokeh-tables":"\/static\/js\/bokeh-tables\.min\.js\?v=/)
      } finally {
        await server.stop()
      }
    }
  })
})
