/**
 * A real Python Bokeh for small Python-in-the-loop checks, found as the interop tests find it
 * (test/interop/find_python.mjs: `BOKEH_PYTHON`, else `.venv-bokeh`, else `python3`, Bokeh >= 3.9).
 * Tests that need it skip, with the reason, when there is none.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { createInterface } from "node:readline"

import { find_python } from "../../interop/find_python.mjs"

const found = find_python()
export const python: string | null = found.ok ? found.python : null

/** `{skip}` option for node:test: the reason when no Python Bokeh is available. */
export const needs_python: { skip: string | false } = { skip: found.ok ? false : found.reason }

/**
 * One Python per test file runs every script: `import bokeh` and the rest of a start-up cost over a second
 * each, paid once. Each script gets fresh globals, `sys.argv`, its own stdin and a captured stdout, as
 * `python -c` would; the modules it imports stay loaded. Requests and replies are JSON lines, in order.
 */
const RUNNER = `
import io, json, sys, traceback
out, sys.stdout = sys.stdout, sys.stderr
import bokeh.document, bokeh.models
for line in sys.stdin:
    request = json.loads(line)
    sys.stdin, stdout, code = io.StringIO(request["stdin"]), io.StringIO(), 0
    sys.argv = ["-c", *request["args"]]
    sys.stdout = stdout
    try:
        exec(compile(request["script"], "<script>", "exec"), {"__name__": "__main__"})
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        traceback.print_exc(file=stdout)
        code = 1
    finally:
        sys.stdout = sys.stderr
    out.write(json.dumps({"stdout": stdout.getvalue(), "code": code}) + "\\n")
    out.flush()
`

interface Runner {
  child: ChildProcess
  replies: Array<(reply: { stdout: string; code: number } | Error) => void>
  stderr: string
}
let runner: Runner | null = null

function the_runner(): Runner {
  if (runner !== null) return runner
  const child = spawn(python!, ["-u", "-c", RUNNER], { stdio: ["pipe", "pipe", "pipe"] })
  const r: Runner = { child, replies: [], stderr: "" }
  child.stderr!.on("data", (d: Buffer) => {
    r.stderr = (r.stderr + d.toString()).slice(-20_000)
  })
  createInterface({ input: child.stdout! }).on("line", (line) => r.replies.shift()?.(JSON.parse(line)))
  child.once("exit", (code) => {
    runner = null
    for (const reply of r.replies.splice(0)) reply(new Error(`the Python runner exited (${code}): ${r.stderr}`))
  })
  // Idle, the runner does not keep the test process alive; it exits when its stdin closes.
  referenced(r, false)
  runner = r
  return r
}

function referenced(r: Runner, yes: boolean): void {
  for (const handle of [r.child, r.child.stdin, r.child.stdout, r.child.stderr] as unknown as Array<{ ref(): void; unref(): void }>) {
    if (yes) handle.ref()
    else handle.unref()
  }
}

/** Runs `script` with `stdin` as its standard input; resolves with stdout, rejects with the output and traceback. */
export async function run_python(script: string, stdin = "", args: string[] = []): Promise<string> {
  const r = the_runner()
  const reply = new Promise<{ stdout: string; code: number } | Error>((resolve) => r.replies.push(resolve))
  referenced(r, true)
  r.child.stdin!.write(`${JSON.stringify({ script, stdin, args })}\n`)
  const got = await reply
  if (r.replies.length === 0) referenced(r, false)
  if (got instanceof Error) throw got
  if (got.code !== 0) throw new Error(`python failed: ${got.stdout}`)
  return got.stdout
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
