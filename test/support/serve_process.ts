/** `bokeh-ts serve` as a real child process: started on a free loopback port, killed by the test. */
import { spawn, type ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"

import { BOKEH_TS_CLI } from "./cli.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))

export class ServeProcess {
  private _log = ""
  readonly exited: Promise<number | null>

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once("exit", (code) => resolve(code)))
  }

  /** Starts `bokeh-ts serve <args>` (with --port 0 --address 127.0.0.1) and resolves with the app URL it logs. */
  static async start(args: readonly string[]): Promise<ServeProcess> {
    const child = spawn(process.execPath, [BOKEH_TS_CLI, "serve", ...args, "--port", "0", "--address", "127.0.0.1"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    })
    let log = ""
    const url = await new Promise<string>((resolve, reject) => {
      const on_data = (chunk: Buffer) => {
        log += chunk.toString()
        const m = /Bokeh app running at: (http:\/\/\S+)/.exec(log)
        if (m !== null) resolve(m[1]!)
      }
      child.stderr!.on("data", on_data)
      child.once("exit", (code) => reject(new Error(`bokeh-ts serve exited (${code}):\n${log}`)))
    })
    const p = new ServeProcess(child, url)
    p._log = log
    child.stderr!.on("data", (chunk: Buffer) => {
      p._log += chunk.toString()
    })
    return p
  }

  get log(): string {
    return this._log
  }

  get pid(): number {
    return this.child.pid!
  }

  /** Sends `signal` and waits for the exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.kill(signal)
    await this.exited
  }
}
