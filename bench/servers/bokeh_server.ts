/**
 * Child process: the in-process bokeh-ts Server with the sliders app at /sliders, the streaming app
 * at /stream and the 3 MB/s firehose at /firehose (bench/apps/) on 127.0.0.1:0.
 * Prints `PORT <n>` on stdout once listening; exits when stdin closes or on SIGTERM.
 */
import { Server } from "../../src/server/server.ts"
import { set_log_level } from "../../src/util/logging.ts"
import { sliders_app } from "../apps/sliders.ts"
import { stream_app } from "../apps/stream.ts"
import { firehose_app } from "../apps/firehose.ts"

set_log_level("none")
export const server = new Server({ "/sliders": sliders_app, "/stream": stream_app, "/firehose": firehose_app }, { port: 0, address: "127.0.0.1", allow_websocket_origin: ["127.0.0.1:*", "localhost:*"] })
await server.start()
process.stdout.write(`PORT ${server.port}\n`)
const stop = (): void => {
  void server.stop().finally(() => process.exit(0))
}
process.on("SIGTERM", stop)
process.stdin.on("end", stop)
process.stdin.resume()
