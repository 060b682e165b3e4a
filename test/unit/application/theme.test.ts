/**
 * Themes in served apps: a DirectoryHandler gives theme.yaml to each session's document before main
 * runs (as Python), the pulled document carries the themed values, a bad theme fails when the app
 * loads, and a theme change in a live session reaches the client as one PATCH-DOC of ModelChanged events.
 */
import assert from "node:assert/strict"
import { cpSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { Application } from "../../../src/application/application.ts"
import { DirectoryHandler } from "../../../src/application/handlers/directory.ts"
import { FunctionHandler } from "../../../src/application/handlers/function.ts"
import { BokehError } from "../../../src/core/errors.ts"
import { with_document } from "../../../src/document/current.ts"
import { Document } from "../../../src/document/document.ts"
import { Button, Div, Figure, Grid, Title } from "../../../src/models/main.ts"
import { RawClient, start_server } from "../server/helpers.ts"

const apps = fileURLToPath(new URL("../../fixtures/apps/", import.meta.url))

function copy_app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-themed-"))
  cpSync(join(apps, "themed_app", "main.ts"), join(dir, "main.ts"))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

describe("DirectoryHandler theme", () => {
  it("applies theme.yaml to each session's document; the app's own sets win", async () => {
    const handler = new DirectoryHandler({ filename: join(apps, "themed_app") })
    await handler.ready()
    assert.ok(handler.theme !== null)
    const doc = new Document()
    await with_document(doc, () => handler.modify_document(doc))
    assert.equal(doc.theme, handler.theme)
    const plot = doc.select_one({ type: Figure })! as Figure
    assert.equal(plot.background_fill_color, "#2F2F2F")
    assert.equal((plot.title as Title).text_color, "#00FF00") // set by main.ts
    assert.equal((plot.title as Title).text_font_size, "20px")
    const grids = doc.select({ type: Grid }) as Grid[]
    assert.equal(grids.length, 2)
    for (const g of grids) assert.deepEqual(g.grid_line_dash, [6, 4])
    assert.deepEqual((doc.select_one({ type: Div }) as Div).styles, { color: "red" })
  })

  it("a served session's document carries the themed values", async () => {
    const server = await start_server({ "/themed_app": new Application(new DirectoryHandler({ filename: join(apps, "themed_app") })) })
    try {
      const c = await RawClient.connect(`http://127.0.0.1:${server.port}`, "/themed_app")
      await c.ack()
      const text = JSON.stringify((await c.request("PULL-DOC-REQ", {})).content)
      assert.match(text, /"background_fill_color":"#2F2F2F"/)
      assert.match(text, /"grid_line_dash":\[6,4\]/)
      assert.match(text, /"grid_line_alpha":0\.3/)
      c.close()
      await c.closed
    } finally {
      await server.stop()
    }
  })

  it("takes theme.json too; both files, or a bad theme, fail when the app loads", () => {
    const json_app = copy_app({ "theme.json": JSON.stringify({ attrs: { Title: { text_font_size: "30px" } } }) })
    assert.equal(new DirectoryHandler({ filename: json_app }).theme?.values_for(Title)["text_font_size"], "30px")
    const both = copy_app({ "theme.json": "{}", "theme.yaml": "" })
    assert.throws(
      () => new DirectoryHandler({ filename: both }),
      (err: unknown) => err instanceof BokehError && err.code === "BK_ERR_APP_LOAD" && /both theme\.yaml and theme\.json/.test(err.message),
    )
    const bad = copy_app({ "theme.yaml": "attrs:\n  Plot:\n    background_fill_colour: red\n" })
    assert.throws(
      () => new DirectoryHandler({ filename: bad }),
      (err: unknown) => err instanceof BokehError && err.code === "BK_ERR_THEME_VALUE" && /background_fill_colour/.test(err.message),
    )
  })
})

describe("theme change in a live session", () => {
  it("reaches the client as one PATCH-DOC with a ModelChanged event per changed property", async () => {
    const app = new Application(
      new FunctionHandler((doc) => {
        const div = new Div({ name: "div", text: "hi" })
        const button = new Button({ name: "button" })
        button.on_event("button_click", () => (doc.theme = "dark_minimal"))
        doc.add_root(div)
        doc.add_root(new Figure({ name: "plot" }))
        doc.add_root(button)
      }),
    )
    const server = await start_server({ "/app": app })
    try {
      const c = await RawClient.connect(`http://127.0.0.1:${server.port}`, "/app")
      await c.ack()
      const pulled = (await c.request("PULL-DOC-REQ", {})).content as {
        doc: { roots: Array<{ id: string; name?: string; attributes: Record<string, unknown> }> }
      }
      const by_name = (n: string) => pulled.doc.roots.find((r) => r.attributes["name"] === n)!
      assert.equal(by_name("plot").attributes["background_fill_color"], undefined)
      const before = c.messages.length
      const ok = await c.request("PATCH-DOC", {
        events: [
          {
            kind: "MessageSent",
            msg_type: "bokeh_event",
            msg_data: { type: "event", name: "button_click", values: { type: "map", entries: [["model", { id: by_name("button").id }]] } },
          },
        ],
      })
      assert.equal(ok.header.msgtype, "OK")
      const patches = c.messages.slice(before).filter((m) => m.header.msgtype === "PATCH-DOC")
      assert.equal(patches.length, 1)
      const events = (patches[0]!.content as { events: Array<{ kind: string; model: { id: string }; attr: string; new: unknown }> }).events
      assert.ok(events.every((e) => e.kind === "ModelChanged"))
      const plot_id = by_name("plot").id
      assert.deepEqual(
        events
          .filter((e) => e.model.id === plot_id)
          .map((e) => [e.attr, e.new])
          .sort(),
        [
          ["background_fill_color", "#20262B"],
          ["border_fill_color", "#15191C"],
          ["outline_line_alpha", 0.25],
          ["outline_line_color", "#E0E0E0"],
        ],
      )
      c.close()
      await c.closed
    } finally {
      await server.stop()
    }
  })
})
