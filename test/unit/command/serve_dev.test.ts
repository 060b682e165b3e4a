/**
 * `bokeh-ts serve --dev` on a directory app, as a user runs it: it serves, and reloads after an edit, after
 * a save by rename (vim, sed -i, JetBrains), after an edit of a module the app imports and of its template.
 * Each step waits for the server's own "reloaded" log line, then checks the served document changed.
 */
import assert from "node:assert/strict"
import { spawn, type ChildProcess } from "node:child_process"
import { get } from "node:http"
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"

import { RawClient } from "../server/helpers.ts"
import { BOKEH_TS_CLI } from "../../support/cli.ts"

const bin = BOKEH_TS_CLI

/** The server's log, with a way to wait for the n-th line matching a pattern. */
class Log {
  text = ""
  private waiters: Array<() => void> = []
  constructor(child: ChildProcess) {
    child.stderr!.on("data", (d: Buffer) => {
      this.text += d.toString()
      for (const w of this.waiters.splice(0)) w()
    })
    child.on("exit", () => {
      for (const w of this.waiters.splice(0)) w()
    })
  }
  count(pattern: RegExp): number {
    return [...this.text.matchAll(new RegExp(pattern.source, "g"))].length
  }
  async wait(pattern: RegExp, n = 1): Promise<RegExpMatchArray> {
    for (;;) {
      const all = [...this.text.matchAll(new RegExp(pattern.source, "g"))]
      if (all.length >= n) return all[n - 1]!
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }
}

async function pull(base: string): Promise<string> {
  const c = await RawClient.connect(base, "/app")
  await c.ack()
  const doc = JSON.stringify((await c.request("PULL-DOC-REQ", {})).content)
  c.close()
  await c.closed
  return doc
}

/** GET on a new connection each time: a pooled keep-alive one could still lead to the replaced process. */
function get_page(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (d: string) => (body += d))
      res.on("end", () => resolve(body))
      res.on("error", reject)
    }).on("error", reject)
  })
}

const main = (version: string) =>
  `import { Div, curdoc } from "bokeh-ts"\nimport { label } from "./lib/label.ts"\ncurdoc().add_root(new Div({ text: \`main=${version} label=\${label}\` }))\n`

describe("bokeh-ts serve --dev", () => {
  it("serves a directory app and reloads it after an edit, a rename-save, an imported module's edit and a template's edit", { timeout: 180_000 }, async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "bokeh-ts-dev-")), "app")
    mkdirSync(join(dir, "lib"), { recursive: true })
    mkdirSync(join(dir, "templates"))
    writeFileSync(join(dir, "main.ts"), main("1"))
    writeFileSync(join(dir, "lib/label.ts"), 'export const label = "a"\n')
    writeFileSync(join(dir, "templates/index.html"), "{% extends base %}{% block contents %}<p>page one</p>{{ super() }}{% endblock %}\n")
    const child = spawn(process.execPath, [bin, "serve", dir, "--dev", "--port", "0", "--address", "127.0.0.1"], { stdio: ["ignore", "ignore", "pipe"] })
    const log = new Log(child)
    const reloaded = /reloaded in \d+ ms/
    try {
      const port = (await log.wait(/Bokeh app running at: http:\/\/[^:]+:(\d+)\/app/))[1]!
      const base = `http://127.0.0.1:${port}`
      assert.match(await pull(base), /main=1 label=a/)
      assert.match(await get_page(`${base}/app`), /page one/)

      writeFileSync(join(dir, "main.ts"), main("2"))
      await log.wait(reloaded, 1)
      assert.match(await pull(base), /main=2 label=a/)

      // Saved by rename: a new file (new inode) replaces main.ts; later plain edits must still count.
      writeFileSync(join(dir, ".main.ts.tmp"), main("3"))
      renameSync(join(dir, ".main.ts.tmp"), join(dir, "main.ts"))
      await log.wait(reloaded, 2)
      assert.match(await pull(base), /main=3 label=a/)
      writeFileSync(join(dir, "main.ts"), main("4"))
      await log.wait(reloaded, 3)
      assert.match(await pull(base), /main=4 label=a/)

      writeFileSync(join(dir, "lib/label.ts"), 'export const label = "b"\n')
      await log.wait(reloaded, 4)
      assert.match(await pull(base), /main=4 label=b/)

      writeFileSync(join(dir, "templates/index.html"), "{% extends base %}{% block contents %}<p>page two</p>{{ super() }}{% endblock %}\n")
      await log.wait(reloaded, 5)
      assert.match(await get_page(`${base}/app`), /page two/)
      // One reload per save: the server's own activity never triggers one.
      assert.equal(log.count(reloaded), 5, log.text)
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      await exited
      rmSync(join(dir, ".."), { recursive: true, force: true })
    }
  })
})
