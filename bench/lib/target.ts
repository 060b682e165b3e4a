/**
 * The server under test: `--target URL`, or (undefined) the bokeh-ts bench server in a child process.
 * A target URL names the sliders-like app (`http://host:port/sliders`); other apps of the benchmark
 * are its siblings on the same server (`stream` → `http://host:port/stream`).
 */
import { start_child_server } from "./child_server.ts"
import { ws_url } from "./bokeh_client.ts"

/** The bench apps, by URL path segment (bench/servers/bokeh_server.ts serves both). */
export type BenchApp = "sliders" | "stream"

/** The websocket URL of `app` on the target: the URL itself for sliders, its sibling path otherwise. */
export function app_ws_url(target: string, app: BenchApp): string {
  if (app === "sliders") return ws_url(target)
  const url = new URL(target)
  const path = url.pathname.replace(/\/ws$/, "").replace(/\/$/, "")
  url.pathname = `${path.slice(0, path.lastIndexOf("/") + 1)}${app}`
  return ws_url(url.toString())
}

export async function with_target<T>(target: string | undefined, fn: (url: string) => Promise<T>, app: BenchApp = "sliders"): Promise<T> {
  if (target !== undefined) return await fn(app_ws_url(target, app))
  const server = await start_child_server("bokeh_server")
  try {
    return await fn(`ws://127.0.0.1:${server.port}/${app}/ws`)
  } finally {
    await server.stop()
  }
}
