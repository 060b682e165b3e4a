/**
 * Starts bench/servers/bokeh_server_metrics.ts (the sliders app plus an IPC metrics hook) in a child
 * process with --expose-gc, and asks it for its RSS and event-loop stall.
 */
import { spawn, type ChildProcess } from "node:child_process"

import { server_script } from "./child_server.ts"
import { BenchFailure } from "./types.ts"

export interface MetricsServer {
  port: number
  url: string
  /** Server RSS in bytes after forced full GCs. */
  rss(): Promise<number>
  /** RSS and live memory (V8 heap used + external) in bytes after forced full GCs. */
  memory(): Promise<{ rss: number; live: number }>
  reset_stall(): Promise<void>
  /** Event-loop delay since the last reset, ms. */
  stall(): Promise<{ max_ms: number; p99_ms: number }>
  /** Buffer statistics over the open websockets (see bokeh_server_metrics.ts). */
  connections(): Promise<{ peak_buffered_bytes: number; buffered_bytes: number; coalesced_events: number; catch_ups: number }>
  stop(): Promise<void>
}

export async function start_metrics_server(): Promise<MetricsServer> {
  const flags = (process.env["BENCH_SERVER_NODE_FLAGS"] ?? "").split(" ").filter((f) => f !== "")
  const child: ChildProcess = spawn(process.execPath, ["--expose-gc", ...flags, ...server_script("bokeh_server_metrics")], {
    stdio: ["pipe", "pipe", "inherit", "ipc"],
  })
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    let out = ""
    const timer = setTimeout(() => reject(new BenchFailure("bokeh_server_metrics did not start within 30 s")), 30_000)
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
      reject(new BenchFailure(`bokeh_server_metrics exited with ${code} before listening`))
    })
  })
  const ask = async <T>(op: string): Promise<T> =>
    await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BenchFailure(`bokeh_server_metrics: no answer to ${op} within 30 s`)), 30_000)
      child.once("message", (m) => {
        clearTimeout(timer)
        resolve(m as T)
      })
      child.send({ op })
    })
  return {
    port,
    url: `ws://127.0.0.1:${port}/sliders/ws`,
    rss: async () => (await ask<{ rss: number }>("rss")).rss,
    memory: async () => await ask<{ rss: number; live: number }>("rss"),
    reset_stall: async () => {
      await ask("reset_stall")
    },
    stall: async () => await ask<{ max_ms: number; p99_ms: number }>("stall"),
    connections: async () => await ask("connections"),
    async stop() {
      child.stdin!.end()
      child.disconnect()
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
