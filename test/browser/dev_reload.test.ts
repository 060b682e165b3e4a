/**
 * `serve --dev` with a page open in stock BokehJS: after a save the server process is replaced, and the
 * open page reconnects by itself (BokehJS retries at once, with the same session token) and shows the new
 * version of the app without being reloaded.
 */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"

import { launch_browser, type TestBrowser, PAGE_TIMEOUT } from "./helpers.ts"
import { BOKEH_TS_CLI } from "../support/cli.ts"

declare const Bokeh: any

const bin = BOKEH_TS_CLI
const main = (version: string) => `import { Div, curdoc } from "bokeh-ts"\ncurdoc().add_root(new Div({ name: "info", text: "version ${version}" }))\n`

describe("serve --dev in headless Chromium", () => {
  it("an open page reconnects to the reloaded app and shows its new document", { timeout: 2 * PAGE_TIMEOUT }, async () => {
    const root = mkdtempSync(join(tmpdir(), "bokeh-ts-dev-browser-"))
    const dir = join(root, "app")
    mkdirSync(dir)
    writeFileSync(join(dir, "main.ts"), main("one"))
    const child = spawn(process.execPath, [bin, "serve", dir, "--dev", "--port", "0", "--address", "127.0.0.1", "--allow-websocket-origin", "127.0.0.1:*"], {
      stdio: ["ignore", "ignore", "pipe"],
    })
    let log = ""
    let wake: () => void = () => {}
    child.stderr.on("data", (d: Buffer) => {
      log += d.toString()
      wake()
    })
    const wait_log = async (pattern: RegExp): Promise<RegExpMatchArray> => {
      for (;;) {
        const m = pattern.exec(log)
        if (m !== null) return m
        await new Promise<void>((resolve) => (wake = resolve))
      }
    }
    const browser = await launch_browser()
    try {
      const port = (await wait_log(/Bokeh app running at: http:\/\/[^:]+:(\d+)\/app/))[1]!
      const page = await browser.newPage()
      const errors: string[] = []
      page.on("pageerror", (e) => errors.push(String(e)))
      await page.goto(`http://127.0.0.1:${port}/app`)
      const text = () => (Bokeh.documents.length > 0 ? Bokeh.documents[0].get_model_by_name("info")?.text : undefined)
      await page.waitForFunction((t) => new Function(`return (${t})()`)() === "version one", text.toString(), { timeout: PAGE_TIMEOUT })

      writeFileSync(join(dir, "main.ts"), main("two"))
      await wait_log(/reloaded in \d+ ms/)
      await page.waitForFunction((t) => new Function(`return (${t})()`)() === "version two", text.toString(), { timeout: PAGE_TIMEOUT })
      // The view shows it too: the Div's shadow root holds the new text.
      const shown = await page.evaluate(() => {
        const views = [...(Bokeh.index.values?.() ?? Object.values(Bokeh.index))] as Array<{ model: { name: string }; el: HTMLElement }>
        return views.map((v) => v.el.shadowRoot?.textContent ?? "").join(" ")
      })
      assert.match(shown, /version two/)
      assert.deepEqual(errors, [])
    } finally {
      await browser.close()
      const exited = new Promise((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      await exited
      rmSync(root, { recursive: true, force: true })
    }
  })
})
