/**
 * The real Python Bokeh as a test peer: a long-lived Python process running the drivers in py/ on request,
 * a Python `bokeh serve` of the twin apps in apps/, and our own server of the same apps. Everything waits on
 * events (the agent's ready line and replies, the server's "app running at" line); nothing sleeps.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

import { build_single_handler_applications } from "../../src/command/util.ts"
import { Server } from "../../src/server/server.ts"
import type { ServerOptions } from "../../src/server/options.ts"
import { set_log_level } from "../../src/util/logging.ts"
import { find_python } from "./find_python.mjs"
import { BOKEH_TS_CLI } from "../support/cli.ts"

set_log_level((process.env["BOKEH_TEST_LOG"] as "info" | undefined) ?? "none")

export const HERE = dirname(fileURLToPath(import.meta.url))
export const APPS = join(HERE, "apps")
const found = find_python()

/** `false` when a Python Bokeh >= 3.9 is there, else why not (for `describe(name, { skip })`). */
export const skip: false | string = found.ok ? false : found.reason

function the_python(): string {
  if (!found.ok) throw new Error(found.reason)
  return found.python
}

export class PythonError extends Error {
  constructor(
    readonly type: string,
    readonly module: string,
    message: string,
    readonly log: string[],
  ) {
    super(`${type}: ${message}`)
  }
}

export interface Reply<T> {
  result: T
  /** Warnings and WARNING+ log records Python emitted during the call. */
  log: string[]
}

interface Wire {
  id?: number
  ready?: boolean
  result?: unknown
  error?: { type: string; module: string; message: string }
  log?: string[]
}

/** One Python process serving calls to `module.function` in py/, one at a time, in order. */
export class PyAgent {
  private readonly child: ChildProcess
  private readonly pending = new Map<number, (w: Wire) => void>()
  private next_id = 1
  private stderr = ""
  private readonly ready: Promise<void>
  private exited: Error | null = null

  private constructor() {
    this.child = spawn(the_python(), ["-u", join(HERE, "py", "agent.py")], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, BOKEH_LOG_LEVEL: "warn" },
    })
    this.child.stderr!.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-20_000)
      if (process.env["BOKEH_TEST_LOG"] !== undefined) process.stderr.write(d)
    })
    let on_ready: () => void
    let on_fail: (e: Error) => void
    this.ready = new Promise<void>((resolve, reject) => {
      on_ready = resolve
      on_fail = reject
    })
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const w = JSON.parse(line) as Wire
      if (w.ready === true) on_ready()
      else if (w.id !== undefined) this.pending.get(w.id)?.(w)
    })
    this.child.on("exit", (code, signal) => {
      this.exited = new Error(`the Python agent exited (${code ?? signal}); stderr:\n${this.stderr}`)
      on_fail(this.exited)
      for (const [id, resolve] of this.pending) resolve({ id, error: { type: "AgentExited", module: "", message: this.exited.message } })
      this.pending.clear()
    })
  }

  static async start(): Promise<PyAgent> {
    const agent = new PyAgent()
    await agent.ready
    return agent
  }

  /** Calls `module.function(**args)`; the reply with Python's log, or a PythonError. */
  async call_logged<T = unknown>(fn: string, args: Record<string, unknown> = {}): Promise<Reply<T>> {
    if (this.exited !== null) throw this.exited
    const id = this.next_id++
    const reply = new Promise<Wire>((resolve) => this.pending.set(id, resolve))
    this.child.stdin!.write(`${JSON.stringify({ id, call: fn, args })}\n`)
    const w = await reply
    this.pending.delete(id)
    if (w.error !== undefined) throw new PythonError(w.error.type, w.error.module, w.error.message, w.log ?? [])
    return { result: w.result as T, log: w.log ?? [] }
  }

  async call<T = unknown>(fn: string, args: Record<string, unknown> = {}): Promise<T> {
    return (await this.call_logged<T>(fn, args)).result
  }

  /** The exception a call raises: `{ type, module, message }` (fails when the call succeeds). */
  async raises(fn: string, args: Record<string, unknown> = {}): Promise<PythonError> {
    try {
      await this.call(fn, args)
    } catch (e) {
      if (e instanceof PythonError) return e
      throw e
    }
    throw new Error(`${fn} did not raise`)
  }

  async stop(): Promise<void> {
    if (this.exited !== null) return
    const exited = new Promise((resolve) => this.child.once("exit", resolve))
    this.child.stdin!.end()
    await exited
  }
}

/** A server of the twin apps: `url("echo")` is the app's HTTP URL. */
export interface AppServer {
  readonly kind: "python" | "ours"
  readonly port: number
  url(app: string): string
  stop(): Promise<void>
}

/** `python -m bokeh serve` of apps/<name>.py on a free port of 127.0.0.1. */
export async function start_python_server(apps: readonly string[], extra: readonly string[] = [], env: Record<string, string> = {}): Promise<AppServer> {
  const files = apps.map((a) => join(APPS, `${a}.py`))
  const args = ["-m", "bokeh", "serve", ...files, "--port", "0", "--address", "127.0.0.1", ...extra]
  const child = spawn(the_python(), args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } })
  let output = ""
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! })
    lines.on("line", (line) => {
      output += `${line}\n`
      if (process.env["BOKEH_TEST_LOG"] !== undefined) process.stderr.write(`[bokeh serve] ${line}\n`)
      const m = /Bokeh app running at: http:\/\/127\.0\.0\.1:(\d+)\//.exec(line)
      if (m !== null) resolve(Number(m[1]))
    })
    child.once("exit", (code) => reject(new Error(`bokeh serve exited (${code}):\n${output}`)))
  })
  return {
    kind: "python",
    port,
    url: (app) => `http://127.0.0.1:${port}/${app}`,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      await exited
    },
  }
}

/**
 * The gallery exactly as `npm start` serves it (package.json's "start" arguments through our CLI), on a free port:
 * the URL of every app it announces.
 */
export async function start_gallery(): Promise<{ urls: string[]; stop(): Promise<void> }> {
  const root = join(HERE, "..", "..")
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }
  const words = [...pkg.scripts.start.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)
  const [node, cli, ...args] = words
  if (node !== "node") throw new Error(`unexpected start script: ${pkg.scripts.start}`)
  const child = spawn(process.execPath, [cli === "bin/bokeh-ts.mjs" ? BOKEH_TS_CLI : cli!, ...args, "--port", "0", "--address", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  })
  const urls: string[] = []
  let output = ""
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! })
    const stdout = createInterface({ input: child.stdout! })
    const on_line = (line: string) => {
      output += `${line}\n`
      const m = /Bokeh app running at: (\S+)/.exec(line)
      if (m !== null) urls.push(m[1]!)
      if (/Starting Bokeh server with process id/.test(line)) resolve()
    }
    lines.on("line", on_line)
    stdout.on("line", on_line)
    child.once("exit", (code) => reject(new Error(`npm start's server exited (${code}):\n${output}`)))
  })
  return {
    urls,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      await exited
    },
  }
}

/** Our server of apps/<name>.ts, in this process. */
export async function start_our_server(apps: readonly string[], options: ServerOptions = {}): Promise<AppServer & { server: Server }> {
  const server = new Server(build_single_handler_applications(apps.map((a) => join(APPS, `${a}.ts`))), { port: 0, address: "127.0.0.1", ...options })
  await server.start()
  const port = server.port
  return { kind: "ours", port, server, url: (app) => `http://127.0.0.1:${port}/${app}`, stop: () => server.stop() }
}
