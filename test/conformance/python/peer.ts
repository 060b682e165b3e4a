/**
 * A real Python Bokeh for small Python-in-the-loop checks, found as the interop tests find it
 * (test/interop/find_python.mjs: `BOKEH_PYTHON`, else `.venv-bokeh`, else `python3`, Bokeh >= 3.9).
 * Tests that need it skip, with the reason, when there is none.
 */
import { execFile } from "node:child_process"

import { find_python } from "../../interop/find_python.mjs"

const found = find_python()
export const python: string | null = found.ok ? found.python : null

/** `{skip}` option for node:test: the reason when no Python Bokeh is available. */
export const needs_python: { skip: string | false } = { skip: found.ok ? false : found.reason }

/** Runs `script` with `stdin` as its standard input; resolves with stdout, rejects with stderr. */
export function run_python(script: string, stdin = "", args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(python!, ["-c", script, ...args], { maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`python failed: ${stderr || error.message}`))
      else resolve(stdout)
    })
    child.stdin!.end(stdin)
  })
}

/** A `python -m bokeh serve` of one app file on a free port of 127.0.0.1; `stop()` ends it. */
export interface PythonServer {
  readonly url: string
  readonly log: () => string
  stop(): Promise<void>
}

export async function start_python_server(app_file: string, extra: string[] = []): Promise<PythonServer> {
  const { spawn } = await import("node:child_process")
  const { createServer } = await import("node:net")
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
  const child = spawn(
    python!,
    ["-m", "bokeh", "serve", app_file, "--port", String(port), "--address", "127.0.0.1", "--allow-websocket-origin", "*", ...extra],
    { stdio: ["ignore", "pipe", "pipe"] },
  )
  let out = ""
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const on_data = (chunk: Buffer): void => {
      out += chunk.toString()
      if (out.includes("Bokeh app running at")) resolve()
    }
    child.stdout!.on("data", on_data)
    child.stderr!.on("data", on_data)
    void exited.then(() => reject(new Error(`bokeh serve exited: ${out}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => out,
    async stop() {
      child.kill("SIGTERM")
      await exited
    },
  }
}
