/**
 * Theme: construction from JSON and from YAML/JSON files (read as PyYAML reads them), the checks that
 * turn a bad theme into a ThemeError with a stable code, per-class resolution (base classes, glyph
 * defaults, Python's `figure`), and Bokeh's built-in themes.
 */
import assert from "node:assert/strict"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"

import { ThemeError } from "../../../src/core/errors.ts"
import { Figure, Grid, Line, LinearAxis, Plot, Scatter, Title } from "../../../src/models/main.ts"
import { CALIBER, CARBON, CONTRAST, DARK_MINIMAL, LIGHT_MINIMAL, NIGHT_SKY, Theme, built_in_themes, default_theme } from "../../../src/themes/main.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-theme-"))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

function theme_error(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ThemeError, `expected a ThemeError, got ${String(err)}`)
    assert.equal(err.code, code)
    assert.match(err.message, message)
    return true
  })
}

describe("constructing a Theme", () => {
  it("from JSON: values for the named classes, nothing for others", () => {
    const theme = new Theme({ json: { attrs: { Plot: { background_fill_color: "#2F2F2F" } } } })
    assert.deepEqual(theme.values_for(Plot), { background_fill_color: "#2F2F2F" })
    assert.deepEqual(theme.values_for(Title), {})
    assert.equal(theme.source, "JSON")
  })

  it("from a YAML file, with YAML 1.1 scalars as PyYAML reads them (.3, !!null, yes)", () => {
    const path = file(
      "theme.yaml",
      "attrs:\n  Grid:\n    grid_line_alpha: .3\n    grid_line_dash: [6, 4]\n  Axis:\n    axis_line_color: !!null\n    visible: yes\n",
    )
    const theme = new Theme({ filename: path })
    assert.deepEqual(theme.values_for(Grid), { grid_line_alpha: 0.3, grid_line_dash: [6, 4] })
    assert.deepEqual(theme.values_for(LinearAxis), { axis_line_color: null, visible: true })
    assert.equal(theme.source, path)
  })

  it("from a .json file; an empty YAML file is an empty theme", () => {
    const theme = new Theme({ filename: file("t.json", JSON.stringify({ attrs: { Title: { text_color: "red" } } })) })
    assert.deepEqual(theme.values_for(Title), { text_color: "red" })
    assert.deepEqual(new Theme({ filename: file("empty.yaml", "") }).values_for(Plot), {})
  })

  it("is immutable: changing the JSON given to it afterwards changes nothing", () => {
    const json = { attrs: { Title: { text_color: "red" } } }
    const theme = new Theme({ json })
    json.attrs.Title.text_color = "blue"
    assert.deepEqual(theme.values_for(Title), { text_color: "red" })
    assert.ok(Object.isFrozen(theme.values_for(Title)))
  })

  it("bad arguments or files are BK_ERR_THEME", () => {
    theme_error(() => new Theme({} as never), "BK_ERR_THEME", /needs JSON or a file/)
    theme_error(() => new Theme({ json: {}, filename: "x.yaml" } as never), "BK_ERR_THEME", /not both/)
    theme_error(() => new Theme({ filename: join(dir, "missing.yaml") }), "BK_ERR_THEME", /can't read theme file/)
    theme_error(() => new Theme({ filename: file("bad.yaml", "attrs: [1, 2\n") }), "BK_ERR_THEME", /not valid YAML/)
    theme_error(() => new Theme({ filename: file("bad.json", "{attrs") }), "BK_ERR_THEME", /not valid JSON/)
    theme_error(() => new Theme({ filename: file("list.yaml", "- 1\n- 2\n") }), "BK_ERR_THEME", /a theme should be a mapping/)
    theme_error(() => new Theme({ json: { attrs: [] } as never }), "BK_ERR_THEME", /attrs \(a mapping of class names\) should be a mapping/)
    theme_error(
      () => new Theme({ json: { attrs: { Plot: 3 } } as never }),
      "BK_ERR_THEME",
      /attrs\.Plot \(a mapping of properties\) should be a mapping, not 3/,
    )
  })

  it("properties no class has, wrong kinds and models are BK_ERR_THEME_VALUE, when the theme is made", () => {
    theme_error(
      () => new Theme({ json: { attrs: { Axis: { colour: "red" } } } }),
      "BK_ERR_THEME_VALUE",
      /Axis\.colour, but neither Axis nor any subclass has a property 'colour'/,
    )
    theme_error(
      () => new Theme({ json: { attrs: { Grid: { grid_line_alpha: "high" } } } }),
      "BK_ERR_THEME_VALUE",
      /Grid\.grid_line_alpha to "high", but it expects a value of kind Percent/,
    )
    theme_error(() => new Theme({ json: { attrs: { Plot: { title: new Title() } } } }), "BK_ERR_THEME_VALUE", /holds a model/)
    theme_error(() => new Theme({ json: { line_defaults: { line_width: "wide" } } }), "BK_ERR_THEME_VALUE", /line_width/)
  })

  it("unknown class names are ignored, as Python does", () => {
    assert.deepEqual(new Theme({ json: { attrs: { NoSuchModel: { x: 1 } } } }).values_for(Plot), {})
  })
})

describe("values per class", () => {
  it("merges base classes, the subclass's entry winning", () => {
    const theme = new Theme({ json: { attrs: { Axis: { axis_line_color: "red", axis_line_alpha: 0.5 }, LinearAxis: { axis_line_color: "blue" } } } })
    assert.deepEqual(theme.values_for(LinearAxis), { axis_line_color: "blue", axis_line_alpha: 0.5 })
  })

  it("line/fill/text defaults go to glyphs that have those properties", () => {
    const theme = new Theme({ json: { line_defaults: { line_color: "red" }, fill_defaults: { fill_color: "green" } } })
    assert.deepEqual(theme.values_for(Line), { line_color: "red" })
    assert.deepEqual(theme.values_for(Scatter), { line_color: "red", fill_color: "green" })
    assert.deepEqual(theme.values_for(Plot), {})
  })

  it("'figure' (Python's plotting class) applies to Figure, on top of Plot", () => {
    const theme = new Theme({ json: { attrs: { Plot: { border_fill_color: "#111111", outline_line_alpha: 1 }, figure: { outline_line_alpha: 0 } } } })
    assert.deepEqual(theme.values_for(Figure), { border_fill_color: "#111111", outline_line_alpha: 0 })
    assert.deepEqual(theme.values_for(Plot), { border_fill_color: "#111111", outline_line_alpha: 1 })
  })
})

describe("built-in themes", () => {
  it("has Bokeh's six, under Bokeh's names, all valid for the BokehJS 3.10 catalogue", () => {
    assert.deepEqual(Object.keys(built_in_themes).sort(), [CALIBER, CARBON, CONTRAST, DARK_MINIMAL, LIGHT_MINIMAL, NIGHT_SKY].sort())
    for (const theme of Object.values(built_in_themes)) assert.ok(theme instanceof Theme)
  })

  it("carries Bokeh's values", () => {
    assert.equal(built_in_themes.dark_minimal.values_for(Plot)["background_fill_color"], "#20262B")
    assert.equal(built_in_themes.night_sky.values_for(Plot)["background_fill_color"], "#2C001E")
    assert.equal(built_in_themes.contrast.values_for(Plot)["border_fill_color"], "#FFFFFF")
    assert.equal(built_in_themes.carbon.values_for(Figure)["background_fill_color"], "#1b1e23")
    assert.equal(built_in_themes.caliber.values_for(Title)["text_font"], "Calibri Light")
    assert.equal(built_in_themes.light_minimal.values_for(LinearAxis)["axis_label_text_color"], "#5B5B5B")
    assert.deepEqual(default_theme.values_for(Plot), {})
  })
})
