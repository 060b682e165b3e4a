/** Starts a benchmark server script (bench/servers/*.ts) in a child process and reads its port. */
import { spawn, type ChildProcess } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const servers = join(dirname(fileURLToPath(import.meta.url)), "..", "servers")

export interface ChildServer {
  port: number
  process: ChildProcess
  stop(): Promise<void>
}

/**
 * How node runs bench/servers/<name>.ts: through tsx, or, under the test runner (scripts/test.mjs), as its
 * bundle of these same sources built at the start of the run (BOKEH_TS_TEST_BENCH_SERVERS), which starts
 * without loading the model graph module by module.
 */
export function server_script(name: string): string[] {
  const built = process.env["BOKEH_TS_TEST_BENCH_SERVERS"]
  return built ? [join(built, `${name}.js`)] : ["--import", "tsx", join(servers, `${name}.ts`)]
}

/** `name`: "bokeh_server" or "echo_server"; `env` adds to its environment. Extra node flags (e.g. --cpu-prof) from BENCH_SERVER_NODE_FLAGS. */
export async function start_child_server(name: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const flags = (process.env["BENCH_SERVER_NODE_FLAGS"] ?? "").split(" ").filter((f) => f !== "")
  const child = spawn(process.execPath, [...flags, ...server_script(name)], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ...env },
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ""
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000)
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const m = /PORT (\d+)/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before listening`))
    })
  })
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  return {
    port,
    process: child,
    async stop() {
      child.stdin!.end()
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
