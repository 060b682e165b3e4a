/** export_png / export_svg / export_svgs through headless Chromium (playwright-core), and their coded errors. */
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"

import { column, figure } from "../../src/index.ts"
import { export_png, export_svg, export_svgs, type ExportBrowser } from "../../src/io/index.ts"
import { playwright_loader } from "../../src/output/webdriver.ts"
import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"

function plot(output_backend: "canvas" | "svg" = "canvas") {
  const p = figure({ width: 300, height: 200, title: "export", output_backend })
  p.line({ x: [1, 2, 3], y: [1, 3, 2], line_width: 4, color: "navy" })
  return p
}

/** PNG width and height from its IHDR chunk. */
function png_size(data: Uint8Array): [number, number] {
  assert.deepEqual([...data.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "PNG signature")
  const view = new DataView(data.buffer, data.byteOffset)
  return [view.getUint32(16), view.getUint32(20)]
}

// Each export has its own page (or Chromium) and file: side by side.
/**
 * Seconds each export may wait for BokehJS to load and render: Python's default (5 s, kept by the API)
 * is for one export on an idle machine; these run side by side beside the rest of the suite.
 */
const LOADED_TIMEOUT = PAGE_TIMEOUT / 1000

describe("export_png / export_svg(s) in headless Chromium", { concurrency: true }, () => {
  let browser: TestBrowser
  let dir: string
  let webdriver: ExportBrowser

  before(async () => {
    browser = await launch_browser()
    webdriver = browser as unknown as ExportBrowser
    dir = mkdtempSync(join(tmpdir(), "bokeh-ts-export-"))
  })
  after(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** The share of pixels that are not (near) white, decoded by the browser. */
  async function inked(png: Uint8Array): Promise<number> {
    const page = await browser.newPage()
    try {
      return await page.evaluate(
        async (url) => {
          const img = new Image()
          img.src = url
          await img.decode()
          const canvas = document.createElement("canvas")
          canvas.width = img.width
          canvas.height = img.height
          const ctx = canvas.getContext("2d")!
          ctx.drawImage(img, 0, 0)
          const d = ctx.getImageData(0, 0, img.width, img.height).data
          let n = 0
          for (let i = 0; i < d.length; i += 4) if (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200) n++
          return n / (d.length / 4)
        },
        `data:image/png;base64,${Buffer.from(png).toString("base64")}`,
      )
    } finally {
      await page.close()
    }
  }

  it("export_png writes a PNG of the requested size, times scale_factor, that is not blank", async () => {
    const p = plot()
    const file = await export_png(p, { filename: join(dir, "p.png"), width: 400, height: 250, webdriver, timeout: LOADED_TIMEOUT })
    const png = readFileSync(file)
    assert.deepEqual(png_size(png), [400, 250])
    assert.ok((await inked(png)) > 0.01, "the PNG has drawing on it")
    assert.deepEqual([p.width, p.height], [300, 200], "the plot's size is restored")
    const scaled = readFileSync(await export_png(p, { filename: join(dir, "p2.png"), scale_factor: 2, webdriver, timeout: LOADED_TIMEOUT }))
    assert.deepEqual(png_size(scaled), [600, 400])
  })

  it("export_png launches its own Chromium when none is given", async () => {
    const file = await export_png(plot(), {
      filename: join(dir, "own.png"),
      chromium: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
      timeout: LOADED_TIMEOUT,
    })
    assert.deepEqual(png_size(readFileSync(file)), [300, 200])
  })

  it("export_svg of an output_backend='svg' plot writes a valid SVG", async () => {
    const [file] = await export_svg(plot("svg"), { filename: join(dir, "p.svg"), webdriver, timeout: LOADED_TIMEOUT })
    const svg = readFileSync(file!, "utf8")
    const page = await browser.newPage()
    try {
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, "image/svg+xml")
        const root = doc.documentElement
        return {
          error: doc.querySelector("parsererror") !== null,
          name: root.nodeName,
          ns: root.namespaceURI,
          width: root.getAttribute("width"),
          height: root.getAttribute("height"),
          paths: doc.querySelectorAll("path").length,
        }
      }, svg)
      assert.deepEqual(
        { ...parsed, paths: parsed.paths > 0 },
        { error: false, name: "svg", ns: "http://www.w3.org/2000/svg", width: "300", height: "200", paths: true },
      )
    } finally {
      await page.close()
    }
  })

  it("export_svgs writes one file per svg plot and skips canvas ones", async () => {
    const files = await export_svgs(column(plot("svg"), plot("canvas"), plot("svg")), { filename: join(dir, "many.svg"), webdriver, timeout: LOADED_TIMEOUT })
    assert.deepEqual(files, [join(dir, "many.svg"), join(dir, "many_1.svg")])
    for (const f of files) assert.match(readFileSync(f, "utf8"), /^<svg /)
  })
})

describe("export errors", () => {
  it("without playwright-core: BK_ERR_EXPORT_DEPENDENCY saying what to install", async () => {
    const load = playwright_loader.load
    playwright_loader.load = () => Promise.reject(Object.assign(new Error("Cannot find package 'playwright-core'"), { code: "ERR_MODULE_NOT_FOUND" }))
    try {
      await assert.rejects(export_png(plot(), { filename: join(tmpdir(), "never.png") }), (e: Error & { code?: string }) => {
        assert.equal(e.code, "BK_ERR_EXPORT_DEPENDENCY")
        assert.match(e.message, /npm install playwright-core/)
        return true
      })
    } finally {
      playwright_loader.load = load
    }
  })

  it("a Chromium path that doesn't exist: BK_ERR_EXPORT_DEPENDENCY naming the path and the option", async () => {
    await assert.rejects(export_svg(plot("svg"), { chromium: "/nonexistent/chromium" }), (e: Error & { code?: string }) => {
      assert.equal(e.code, "BK_ERR_EXPORT_DEPENDENCY")
      assert.match(e.message, /\/nonexistent\/chromium.*BOKEH_CHROMIUM/)
      return true
    })
  })
})
