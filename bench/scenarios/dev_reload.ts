/**
 * dev_reload: `bokeh-ts serve --dev` on a directory app; the time from saving main.ts (or a module it
 * imports) to the server answering a page request with the new version (the document's title), which
 * is what a developer waits for after a save. Each save is made once the server says a spare process is
 * ready, as between two saves of a person editing.
 */
import { spawn } from "node:child_process"
import { get } from "node:http"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

import { now_ms, summarize } from "../lib/stats.ts"
import { below, BenchFailure, type Row, type Scenario } from "../lib/types.ts"

const bin = fileURLToPath(new URL("../../bin/bokeh-ts.mjs", import.meta.url))
const SAVES = 6

/** GET on a new connection each time: a pooled keep-alive one could still lead to the replaced process. */
function get_page(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (d: string) => (body += d))
      res.on("end", () => resolve(body))
      res.on("error", reject)
    })
      .on("timeout", function (this: { destroy(e: Error): void }) {
        this.destroy(new Error(`GET ${url} timed out`))
      })
      .on("error", reject)
  })
}

const main = (version: number) =>
  `import { Div, curdoc } from "bokeh-ts"\nimport { label } from "./lib/label.ts"\ncurdoc().add_root(new Div({ text: label }))\ncurdoc().title = "v${version}"\n`

export const dev_reload: Scenario = {
  name: "dev_reload",
  description: "serve --dev on a directory app: save (main.ts or an imported module) to the new version served",
  targets: "none",
  async run() {
    const root = mkdtempSync(join(tmpdir(), "bokeh-ts-bench-dev-"))
    const dir = join(root, "app")
    mkdirSync(join(dir, "lib"), { recursive: true })
    writeFileSync(join(dir, "main.ts"), main(0))
    writeFileSync(join(dir, "lib/label.ts"), 'export const label = "x"\n')
    const child = spawn(process.execPath, [bin, "serve", dir, "--dev", "--port", "0", "--address", "127.0.0.1", "--log-level", "debug"], {
      stdio: ["ignore", "ignore", "pipe"],
    })
    let log = ""
    let wake: () => void = () => {}
    child.stderr.on("data", (d: Buffer) => {
      log += d.toString()
      wake()
    })
    const wait_log = async (pattern: RegExp, n: number): Promise<RegExpMatchArray> => {
      for (;;) {
        const all = [...log.matchAll(new RegExp(pattern.source, "g"))]
        if (all.length >= n) return all[n - 1]!
        if (child.exitCode !== null) throw new BenchFailure(`dev_reload: the server exited\n${log}`)
        await new Promise<void>((resolve) => (wake = resolve))
      }
    }
    try {
      const port = (await wait_log(/Bokeh app running at: http:\/\/[^:]+:(\d+)\/app/, 1))[1]!
      const title = async () => /<title>([^<]*)<\/title>/.exec(await get_page(`http://127.0.0.1:${port}/app`))?.[1]
      const latencies: number[] = []
      for (let k = 1; k <= SAVES; k++) {
        // Process 1 serves; process k+1 is the spare that will serve save k.
        await wait_log(/is ready to load the app/, k + 1)
        const t0 = now_ms()
        if (k % 2 === 0) writeFileSync(join(dir, "lib/label.ts"), `export const label = "x${k}"\n`)
        writeFileSync(join(dir, "main.ts"), main(k))
        // Polled every 10 ms: each page request makes a session, and the machine is the one reloading.
        while ((await title().catch((e: Error) => `error: ${e.message}`)) !== `v${k}`) {
          if (now_ms() - t0 > 30_000) throw new BenchFailure(`dev_reload: save ${k} not served after 30 s\n${log}`)
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
        latencies.push(now_ms() - t0)
      }
      const s = summarize(latencies)
      return [
        below({ scenario: "dev_reload", metric: "save to served p50", value: s.p50, unit: "ms" }, 1000, "< 1000 ms"),
        below({ scenario: "dev_reload", metric: "save to served max", value: Math.max(...latencies), unit: "ms" }, 1000, "< 1000 ms"),
      ] satisfies Row[]
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      await exited
      rmSync(root, { recursive: true, force: true })
    }
  },
}
