/**
 * Child process: the in-process bokeh-ts Server with the sliders app at /sliders, the streaming app
 * at /stream and the 3 MB/s firehose at /firehose (bench/apps/) on 127.0.0.1:0.
 * Prints `PORT <n>` on stdout once listening; exits when stdin closes, or drains (graceful shutdown)
 * on SIGTERM. BENCH_PORT picks the port (a restarted backend behind nginx keeps its port);
 * BENCH_OPS=1 turns the health probes and metrics on, as a deployment would; BENCH_SESSION_STORE
 * (a redis:// URL) writes sessions to that store and resumes them from it.
 */
import { Server } from "../../src/server/server.ts"
import { set_log_level } from "../../src/util/logging.ts"
import { sliders_app } from "../apps/sliders.ts"
import { stream_app } from "../apps/stream.ts"
import { firehose_app } from "../apps/firehose.ts"

set_log_level("none")
export const server = new Server(
  { "/sliders": sliders_app, "/stream": stream_app, "/firehose": firehose_app },
  {
    port: Number(process.env["BENCH_PORT"] ?? 0),
    address: "127.0.0.1",
    allow_websocket_origin: ["127.0.0.1:*", "localhost:*"],
    ...(process.env["BENCH_OPS"] === "1" ? { health: true, metrics: true } : {}),
    ...(process.env["BENCH_SESSION_STORE"] !== undefined ? { session_store: process.env["BENCH_SESSION_STORE"] } : {}),
  },
)
await server.start()
process.stdout.write(`PORT ${server.port}\n`)
const stop = (): void => {
  void server.stop().finally(() => process.exit(0))
}
process.on("SIGTERM", () => void server.drain().finally(() => process.exit(0)))
process.stdin.on("end", stop)
process.stdin.resume()
