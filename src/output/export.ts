/**
 * `export_png`, `export_svg`, `export_svgs` (Python's `bokeh.io.export`): the object's standalone page
 * (BokehJS inline) is rendered by headless Chromium, and the root's box is taken as a PNG, or plots
 * are asked for their SVG. Python does this with a Selenium web driver; we use playwright-core.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { extname, join, resolve } from "node:path"
import { pathToFileURL } from "node:url"

import { ExportError } from "../core/errors.ts"
import { HasProps } from "../core/has_props.ts"
import { Document } from "../document/document.ts"
import { file_html } from "../embed/standalone.ts"
import { INLINE, type Resources } from "../embed/standalone_resources.ts"
import { log } from "../util/logging.ts"
import { curdoc } from "../io/doc.ts"
import { default_filename } from "./output.ts"
import { launch_chromium, type ExportBrowser, type ExportPage } from "./webdriver.ts"

export interface ExportOptions {
  /** Default: the script's name with .png/.svg, as Python. */
  readonly filename?: string
  /** A plot's width/height for the export (other models: ignored with a warning, as Python). */
  readonly width?: number
  readonly height?: number
  /** Seconds to wait for BokehJS to load and render (default 5). */
  readonly timeout?: number
  /** An already launched browser (playwright-core's `Browser`) to reuse; it is left open. */
  readonly webdriver?: ExportBrowser
  /** The Chromium executable (default `BOKEH_CHROMIUM`, else /usr/bin/chromium). */
  readonly chromium?: string
  readonly resources?: Resources
}

export interface ExportPngOptions extends ExportOptions {
  /** Device pixels per CSS pixel: the PNG is width×scale_factor by height×scale_factor. */
  readonly scale_factor?: number
}

const LAYOUT_TEMPLATE = `{% block preamble %}
<style>
  html, body {
    box-sizing: border-box;
    width: 100%;
    height: 100%;
    margin: 0;
    border: 0;
    padding: 0;
    overflow: hidden;
  }
</style>
{% endblock %}`

/** Python's `get_layout_html`: the page an export renders (BokehJS inline, page margins off). */
export function get_layout_html(
  obj: HasProps | Document,
  options: { resources?: Resources; width?: number; height?: number; theme?: Document["theme"] } = {},
): string {
  const html = () =>
    file_html(obj, {
      resources: options.resources ?? INLINE,
      title: "",
      template: LAYOUT_TEMPLATE,
      theme: options.theme ?? curdoc().theme,
      suppress_callback_warning: true,
      _always_new: true,
    })
  if (options.width === undefined && options.height === undefined) return html()
  const sized = obj as HasProps & { width?: number | null; height?: number | null }
  if (!(obj instanceof HasProps) || !is_plot(obj)) {
    log.warning("Export method called with width or height argument on a non-Plot model. The size values will be ignored.")
    return html()
  }
  const before = { width: sized.width, height: sized.height }
  if (options.width !== undefined) sized.width = options.width
  if (options.height !== undefined) sized.height = options.height
  try {
    return html()
  } finally {
    sized.width = before.width
    sized.height = before.height
  }
}

function is_plot(model: HasProps): boolean {
  for (let c = model.constructor as typeof HasProps; c !== HasProps && c !== null; c = Object.getPrototypeOf(c) as typeof HasProps) {
    if (Object.hasOwn(c, "__name__") && c.__name__ === "Plot") return true
  }
  return false
}

/** Runs `fn` on a page showing `html` once BokehJS has rendered it; cleans up the browser and file. */
async function with_rendered_page<T>(html: string, options: ExportPngOptions, fn: (page: ExportPage) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-export-"))
  const browser = options.webdriver ?? (await launch_chromium(options.chromium))
  const timeout = (options.timeout ?? 5) * 1000
  const messages: string[] = []
  let page: ExportPage | null = null
  try {
    const file = join(dir, "export.html")
    writeFileSync(file, html)
    page = await browser.newPage({ viewport: { width: 2000, height: 2000 }, deviceScaleFactor: options.scale_factor ?? 1 })
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") messages.push(m.text())
    })
    page.on("pageerror", (e) => messages.push(String(e)))
    await page.goto(pathToFileURL(file).href)
    try {
      await page.waitForFunction(`typeof Bokeh !== "undefined" && Bokeh.documents != null && Bokeh.documents.length != 0`, null, { timeout })
    } catch (error) {
      throw new ExportError("BK_ERR_EXPORT", `Bokeh was not loaded in time (${timeout / 1000} s)${messages.length > 0 ? `: ${messages.join("; ")}` : ""}`, {
        cause: error,
      })
    }
    try {
      await page.waitForFunction("Bokeh.documents[0].is_idle", null, { timeout })
    } catch {
      log.warning("timed out waiting for the layout to render (the document never became idle); the export may be incomplete")
    }
    for (const m of messages) log.warning(`browser: ${m}`)
    return await fn(page)
  } finally {
    await page?.close().catch(() => {})
    if (options.webdriver === undefined) await browser.close().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The PNG bytes of `obj` rendered (Python's `get_screenshot_as_png`, returning PNG bytes). */
export async function get_screenshot_as_png(obj: HasProps | Document, options: ExportPngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale_factor ?? 1
  if (!(scale > 0)) throw new ExportError("BK_ERR_EXPORT", `scale_factor must be positive, got ${scale}`)
  const html = get_layout_html(obj, { resources: options.resources, width: options.width, height: options.height })
  const root_id = (obj instanceof Document ? obj.roots[0] : obj)?.id
  return await with_rendered_page(html, options, async (page) => {
    const box = await page.evaluate<[number, number, number, number] | null>(`(() => {
      const view = Bokeh.index.get_by_id(${JSON.stringify(root_id)}) ?? [...Bokeh.index][0]
      if (view == null) return null
      const {x, y, width, height} = view.el.getBoundingClientRect()
      return [Math.round(x), Math.round(y), Math.round(width), Math.round(height)]
    })()`)
    if (box === null || box[2] === 0 || box[3] === 0) throw new ExportError("BK_ERR_EXPORT", "the exported object has no rendered view (or an empty one)")
    const [x, y, width, height] = box
    return await page.screenshot({ clip: { x, y, width, height }, type: "png" })
  })
}

/** Writes `obj` as a PNG (Python's `export_png`); resolves with the file's absolute path. */
export async function export_png(obj: HasProps | Document, options: ExportPngOptions = {}): Promise<string> {
  const png = await get_screenshot_as_png(obj, options)
  const filename = resolve(options.filename ?? default_filename("png"))
  writeFileSync(filename, png)
  return filename
}

const SVGS_SCRIPT = `(() => {
  const {LayoutDOMView} = Bokeh.require("models/layouts/layout_dom")
  const {PlotView} = Bokeh.require("models/plots/plot")
  function* collect_svgs(views) {
    for (const view of views) {
      if (view instanceof LayoutDOMView) yield* collect_svgs(view.child_views.values())
      if (view instanceof PlotView && view.model.output_backend == "svg") {
        const {ctx} = view.export("svg")
        yield ctx.get_serialized_svg(true)
      }
    }
  }
  return [...collect_svgs(Bokeh.index)]
})()`

function svg_script(ids: readonly string[]): string {
  return `(() => {
  const ids = new Set(${JSON.stringify(ids)})
  function* export_svgs(views) {
    for (const view of views) {
      if (ids.has(view.model.id)) {
        const {ctx} = view.export("svg")
        yield ctx.get_serialized_svg(true)
      }
    }
  }
  return [...export_svgs(Bokeh.index)]
})()`
}

/** The SVG of `obj`'s root (Python's `get_svg`). */
export async function get_svg(obj: HasProps | Document, options: ExportOptions = {}): Promise<string[]> {
  const html = get_layout_html(obj, { resources: options.resources, width: options.width, height: options.height })
  const ids = obj instanceof Document ? obj.roots.map((r) => r.id) : [obj.id]
  return await with_rendered_page(html, options, (page) => page.evaluate<string[]>(svg_script(ids)))
}

/** Every plot with `output_backend: "svg"` in `obj`, as SVGs (Python's `get_svgs`). */
export async function get_svgs(obj: HasProps | Document, options: ExportOptions = {}): Promise<string[]> {
  const html = get_layout_html(obj, { resources: options.resources, width: options.width, height: options.height })
  return await with_rendered_page(html, options, (page) => page.evaluate<string[]>(SVGS_SCRIPT))
}

/** Python's `_write_collection`: the first to `filename`, the others to `name_1.svg`, `name_2.svg`, … */
function write_collection(items: readonly string[], filename: string | undefined, ext: string): string[] {
  const first = resolve(filename ?? default_filename(ext))
  const stem = first.slice(0, first.length - extname(first).length)
  return items.map((item, i) => {
    const name = i === 0 ? first : `${stem}_${i}${extname(first)}`
    writeFileSync(name, item)
    return name
  })
}

/** Writes `obj`'s root as an SVG file (Python's `export_svg`); resolves with the file names. */
export async function export_svg(obj: HasProps | Document, options: ExportOptions = {}): Promise<string[]> {
  const svgs = await get_svg(obj, options)
  if (svgs.length === 0)
    throw new ExportError("BK_ERR_EXPORT", `no view of ${obj instanceof Document ? "the document's roots" : String(obj)} could be exported as SVG`)
  return write_collection(svgs, options.filename, "svg")
}

/** Writes each `output_backend: "svg"` plot of `obj` to its own SVG file (Python's `export_svgs`). */
export async function export_svgs(obj: HasProps | Document, options: ExportOptions = {}): Promise<string[]> {
  const svgs = await get_svgs(obj, options)
  if (svgs.length === 0) {
    log.warning("No SVG Plots were found.")
    return []
  }
  return write_collection(svgs, options.filename, "svg")
}
