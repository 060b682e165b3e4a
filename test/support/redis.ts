/** A real redis-server for tests, on a free loopback port, without persistence; can be stopped and started again. */
import { spawn, type ChildProcess } from "node:child_process"
import { createServer } from "node:net"

export const REDIS_SERVER = process.env["REDIS_SERVER"] ?? "/usr/bin/redis-server"

export async function free_port(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export class RedisServer {
  private _child: ChildProcess | null = null

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await free_port())
    await server.restart()
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`
  }

  /** Starts redis-server on this port and resolves once it accepts connections. */
  async restart(): Promise<void> {
    const child = spawn(REDIS_SERVER, ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    this._child = child
    await new Promise<void>((resolve, reject) => {
      let out = ""
      const on_data = (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes("Ready to accept connections")) {
          child.stdout!.off("data", on_data)
          resolve()
        }
      }
      child.stdout!.on("data", on_data)
      child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)))
      child.once("error", reject)
    })
    child.stdout!.resume()
    child.stderr!.resume()
  }

  /** Kills redis-server (SIGKILL: an outage, not a shutdown) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this._child
    if (child === null || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once("exit", resolve))
    child.kill("SIGKILL")
    await exited
    this._child = null
  }
}
