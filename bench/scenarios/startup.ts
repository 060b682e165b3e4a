/**
 * startup: the time from spawning `serve app` to the first 200 answer for the app's page, the wait of
 * someone who has just typed the command. Measured for our built package (dist/, as `npx bokeh-ts serve`
 * runs it once installed), for this checkout's sources (bin/bokeh-ts.mjs through tsx) and for Python's
 * `bokeh serve` on a twin app, run after run on the same machine. Our first run starts with an empty
 * compile cache (cold); the figure reported is the median of the warm runs after it, as for every
 * restart of an app that has not changed.
 */
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { get } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

import { find_python } from "../../test/interop/find_python.mjs"
import { now_ms, summarize } from "../lib/stats.ts"
import { BenchFailure, type Row, type Scenario } from "../lib/types.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const RUNS = 6

const APP_TS = `import { ColumnDataSource, Div, Slider, column, curdoc, figure, row } from "bokeh-ts"

const x = Array.from({ length: 200 }, (_, i) => (i / 199) * 4 * Math.PI)
const source = new ColumnDataSource({ data: { x, y: x.map(Math.sin) } })
const plot = figure({ height: 400, width: 400, title: "my sine wave", tools: "crosshair,pan,reset,save,wheel_zoom" })
plot.line({ x: "x", y: "y", source, line_width: 3, line_alpha: 0.6 })
const amplitude = new Slider({ name: "amplitude", title: "amplitude", value: 1, start: -5, end: 5, step: 0.1 })
const label = new Div({ name: "label", text: "amplitude: 1" })
amplitude.on_change("value", (_attr, _old, value) => {
  label.text = \`amplitude: \${value}\`
  source.data = { x, y: x.map((v) => Number(value) * Math.sin(v)) }
})
curdoc().add_root(row(column(amplitude, label), plot))
`

const APP_PY = `import numpy as np
from bokeh.io import curdoc
from bokeh.layouts import column, row
from bokeh.models import ColumnDataSource, Div, Slider
from bokeh.plotting import figure

x = np.linspace(0, 4 * np.pi, 200)
source = ColumnDataSource(data=dict(x=x, y=np.sin(x)))
plot = figure(height=400, width=400, title="my sine wave", tools="crosshair,pan,reset,save,wheel_zoom")
plot.line("x", "y", source=source, line_width=3, line_alpha=0.6)
amplitude = Slider(name="amplitude", title="amplitude", value=1, start=-5, end=5, step=0.1)
label = Div(name="label", text="amplitude: 1")

def update(attr, old, new):
    label.text = f"amplitude: {new}"
    source.data = dict(x=x, y=new * np.sin(x))

amplitude.on_change("value", update)
curdoc().add_root(row(column(amplitude, label), plot))
`

function status_of(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (res) => {
      res.resume()
      res.on("end", () => resolve(res.statusCode ?? null))
    }).on("error", () => resolve(null))
  })
}

let next_port = 0

/** Spawns `command args --port P`, polls GET `/app` every 5 ms; resolves with ms from spawn to the first 200. */
async function time_to_first_page(command: string, args: readonly string[], env: NodeJS.ProcessEnv, label: string): Promise<number> {
  const port = 15_000 + (process.pid % 1000) * 10 + (next_port++ % 10)
  const t0 = now_ms()
  const child = spawn(command, [...args, "--port", String(port), "--address", "127.0.0.1"], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] })
  let log = ""
  child.stderr.on("data", (d: Buffer) => (log += d.toString()))
  try {
    for (;;) {
      if ((await status_of(`http://127.0.0.1:${port}/app`)) === 200) return now_ms() - t0
      if (child.exitCode !== null) throw new BenchFailure(`startup: ${label} exited (${child.exitCode}) before serving\n${log}`)
      if (now_ms() - t0 > 60_000) throw new BenchFailure(`startup: ${label} did not serve /app within 60 s\n${log}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve))
    child.kill("SIGKILL")
    await exited
  }
}

async function measure(server: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, cold_first: boolean): Promise<Row[]> {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) times.push(await time_to_first_page(command, args, env, server))
  const warm = cold_first ? times.slice(1) : times
  const rows: Row[] = [
    { scenario: "startup", server, metric: "spawn to first page p50", value: summarize(warm).p50, unit: "ms" },
    { scenario: "startup", server, metric: "spawn to first page min", value: Math.min(...warm), unit: "ms" },
  ]
  if (cold_first) rows.push({ scenario: "startup", server, metric: "first run (empty compile cache)", value: times[0]!, unit: "ms" })
  return rows
}

export const startup: Scenario = {
  name: "startup",
  description: "spawn of `serve app.ts` to the first 200 of its page: ours from dist/ and from source, Python's bokeh serve on a twin app",
  targets: "none",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-bench-startup-"))
    writeFileSync(join(dir, "app.ts"), APP_TS)
    writeFileSync(join(dir, "app.py"), APP_PY)
    const env = { ...process.env, BOKEH_TS_CACHE_DIR: join(dir, "cache") }
    try {
      if (!existsSync(join(root, "dist/command/main.js"))) {
        const built = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" })
        if (built.status !== 0) throw new BenchFailure("startup: npm run build failed")
      }
      const rows: Row[] = []
      // dist/command/main.js is what bin/bokeh-ts.mjs runs in an installed package.
      rows.push(...(await measure("bokeh-ts (dist)", process.execPath, [join(root, "dist/command/main.js"), "serve", join(dir, "app.ts")], env, true)))
      rmSync(env.BOKEH_TS_CACHE_DIR, { recursive: true, force: true })
      rows.push(...(await measure("bokeh-ts (source)", process.execPath, [join(root, "bin/bokeh-ts.mjs"), "serve", join(dir, "app.ts")], env, true)))
      const python = find_python() as { ok: boolean; python?: string; reason?: string }
      if (python.ok) {
        rows.push(...(await measure("Python bokeh serve", python.python!, ["-m", "bokeh", "serve", join(dir, "app.py")], process.env, false)))
      } else {
        process.stderr.write(`startup: Python's bokeh serve skipped: ${python.reason}\n`)
      }
      return rows
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
