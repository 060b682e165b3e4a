/** bokeh-ts backends for the `scale` benchmark (bench/servers/bokeh_server.ts with health and metrics on), and reading their /metrics. */
import { start_child_server, type ChildServer } from "./child_server.ts"
import { BenchFailure } from "./types.ts"

/** A backend on `port` (a free one when undefined), writing sessions to `session_store` when given. */
export const backend = (port?: number, session_store?: string): Promise<ChildServer> =>
  start_child_server("bokeh_server", {
    BENCH_OPS: "1",
    ...(port !== undefined ? { BENCH_PORT: String(port) } : {}),
    ...(session_store !== undefined ? { BENCH_SESSION_STORE: session_store } : {}),
  })

/** One sample of a backend's /metrics (0 when absent). */
export async function metric(b: ChildServer, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${b.port}/metrics`)).text()
  const line = text.split("\n").find((l) => l.startsWith(`${series} `))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}

/** Websockets bound to a session on a backend. */
export const open_connections = (b: ChildServer): Promise<number> => metric(b, "bokeh_connections_open")

/** Waits until the load's websockets have closed on every backend, so the next session is the only one counted. */
export async function until_no_connections(backends: readonly ChildServer[]): Promise<void> {
  for (let i = 0; i < 100 && (await Promise.all(backends.map(open_connections))).some((x) => x > 0); i++) await new Promise((r) => setTimeout(r, 50))
}

/** The one backend holding exactly one websocket (the session under test), or a failure naming the counts. */
export async function holder(backends: readonly ChildServer[], what: string): Promise<number> {
  const counts = await Promise.all(backends.map(open_connections))
  const i = counts.findIndex((n) => n === 1)
  if (i < 0 || counts.reduce((a, b) => a + b, 0) !== 1) throw new BenchFailure(`${what}: expected one backend with one websocket, got ${counts.join(", ")}`)
  return i
}

/** Resolves once the child process has exited. */
export function exited(b: ChildServer): Promise<void> {
  return new Promise<void>((resolve) => (b.process.exitCode !== null || b.process.signalCode !== null ? resolve() : b.process.once("exit", () => resolve())))
}
