/**
 * Embedding a customized server session in another web app: the Node counterpart of Bokeh's Flask
 * "pull_session + server_session" example, written with Express (any framework works the same
 * way: pull a session, customize it, render `server_session(...)` into the page).
 *
 *   npx tsx examples/embed_express/main.ts        # then open http://localhost:8080/?name=Ada
 *
 * It starts a bokeh-ts Server with a small app on :5006 unless BOKEH_URL points at a running one
 * (a Python `bokeh serve` works too: start it with --allow-websocket-origin=localhost:8080).
 */
import express from "express"
import type { Server as HttpServer } from "node:http"
import { pathToFileURL } from "node:url"

import { Div, Slider, column, pull_session, server_session, type Document } from "../../src/index.ts"
import { Server } from "../../src/server/server.ts"

const PAGE_PORT = Number(process.env["PORT"] ?? 8080)

export function sliders_app(doc: Document): void {
  const slider = new Slider({ name: "freq", title: "frequency", start: 0.1, end: 5, step: 0.1, value: 1 })
  const label = new Div({ name: "label", text: "frequency: 1" })
  slider.on_change("value", (_attr, _old, value) => {
    label.text = `frequency: ${value}`
  })
  doc.add_root(column([slider, label]))
  doc.title = "Sliders"
}

async function bokeh_url(): Promise<string> {
  const external = process.env["BOKEH_URL"]
  if (external !== undefined) return external
  // The page is served from another origin (:8080), so the Bokeh server must allow it.
  const server = new Server({ "/sliders": sliders_app }, { port: 5006, allow_websocket_origin: [`localhost:${PAGE_PORT}`] })
  await server.start()
  return server.url_for("/sliders")
}

/**
 * Starts the embedding page server on `port` (0 picks a free one), getting sessions from the Bokeh app
 * at `app_url`. Resolves once it listens; the caller closes it.
 */
export async function start_page(app_url: string, port: number, host?: string): Promise<HttpServer> {
  const page = express()
  page.get("/favicon.ico", (_req, res) => res.status(204).end()) // no icon, and no 404 in the console
  page.get("/", async (req, res) => {
    const name = typeof req.query["name"] === "string" ? req.query["name"] : undefined
    try {
      // A new session of the app; customize it before the browser sees it, then hand it over.
      await using session = await pull_session({ url: app_url })
      session.document!.title = `Sliders for ${name ?? "you"}`
      const label = session.document!.get_model_by_name("label") as Div | null
      // Div text is HTML in the browser: escape what came from the request.
      if (label !== null) label.text = `Hello ${escape_html(name ?? "there")}, move the slider`
      // close() (at the end of this block) sends queued changes first; the server keeps the session
      // for the browser, which connects with the id embedded below.
      const script = server_session({ session_id: session.id, url: app_url })
      res.type("html").send(`<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>Embedding a Bokeh session</title></head>
  <body>
    <h1>An embedded, customized Bokeh session</h1>
    ${script}
  </body>
</html>`)
    } catch (error) {
      res
        .status(502)
        .type("text")
        .send(`could not get a Bokeh session from ${app_url}: ${(error as Error).message}\n`)
    }
  })

  return await new Promise<HttpServer>((resolve, reject) => {
    const server = host === undefined ? page.listen(port) : page.listen(port, host)
    server.once("error", reject)
    server.once("listening", () => resolve(server))
  })
}

function escape_html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

async function main(): Promise<void> {
  const app_url = await bokeh_url()
  await start_page(app_url, PAGE_PORT)
  console.log(`Embedding page at http://localhost:${PAGE_PORT}/?name=Ada (Bokeh app at ${app_url})`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
