/** One browser opener for client and server: `Server.show` (serve --show) honours BOKEH_BROWSER as show_session does. */
import assert from "node:assert/strict"
import { chmodSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"

import { resolve_settings } from "../../../src/settings.ts"
import { start_server } from "../server/helpers.ts"

const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-browser-"))

/** A "browser" program that writes the URL it was given to `opened` (renamed into place, so it appears whole). */
function fake_browser(): string {
  const path = join(dir, "browser.sh")
  writeFileSync(path, `#!/bin/sh\nprintf '%s' "$1" > "${dir}/opened.tmp" && mv "${dir}/opened.tmp" "${dir}/opened"\n`)
  chmodSync(path, 0o755)
  return path
}

/** The next URL the fake browser was given; rejects when the test is aborted (its timeout), so nothing stays open. */
function next_opened(signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dir, (_event, name) => {
      if (name !== "opened") return
      watcher.close()
      resolve(readFileSync(join(dir, "opened"), "utf8"))
    })
    signal.addEventListener("abort", () => {
      watcher.close()
      reject(new Error("the browser was never opened"))
    })
  })
}

describe("browser opener", { skip: process.platform === "win32" || process.platform === "darwin" ? "runs BOKEH_BROWSER as a program (Linux)" : false }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("Server.show opens the app's URL with the BOKEH_BROWSER program", { timeout: 20000 }, async (t) => {
    const settings = resolve_settings({ env: { BOKEH_BROWSER: fake_browser() } })
    await using server = await start_server({ "/app": () => {} }, { settings })
    const opened = next_opened(t.signal)
    server.show("/app")
    assert.equal(await opened, `http://127.0.0.1:${server.port}/app`)
  })
})
