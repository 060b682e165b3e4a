/** The server under test for sessions/roundtrip: `--target URL`, or the bokeh-ts sliders app in a child process. */
import { start_child_server } from "./child_server.ts"
import { ws_url } from "./bokeh_client.ts"

export async function with_target<T>(target: string | undefined, fn: (url: string) => Promise<T>): Promise<T> {
  if (target !== undefined) return await fn(ws_url(target))
  const server = await start_child_server("bokeh_server")
  try {
    return await fn(`ws://127.0.0.1:${server.port}/sliders/ws`)
  } finally {
    await server.stop()
  }
}
