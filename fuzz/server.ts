/**
 * Child process for `npm run fuzz`: the fuzz app at /fuzz on 127.0.0.1:0 with sessions expiring a
 * second after their last connection, so memory after a run shows what sessions left behind. Prints
 * `PORT <n>`; answers IPC `{ op: "memory" }` with `{ rss, live }` after forced GCs and
 * `{ op: "sessions" }` with `{ sessions }`. Run with --expose-gc.
 */
import { Server } from "../src/server/server.ts"
import { set_log_level } from "../src/util/logging.ts"
import { fuzz_app } from "./app.ts"

set_log_level((process.env["FUZZ_LOG"] as "info" | undefined) ?? "none")
const server = new Server(
  { "/fuzz": fuzz_app },
  { port: 0, address: "127.0.0.1", unused_session_lifetime_milliseconds: 1000, check_unused_sessions_milliseconds: 500 },
)
await server.start()
process.stdout.write(`PORT ${server.port}\n`)

process.on("message", (raw: unknown) => {
  const op = (raw as { op: string }).op
  if (op === "memory") {
    const gc = (globalThis as { gc?: () => void }).gc!
    gc()
    setTimeout(() => {
      gc()
      const m = process.memoryUsage()
      process.send?.({ rss: m.rss, live: m.heapUsed + m.external })
    }, 50)
  } else if (op === "sessions") {
    process.send?.({ sessions: server.core.application_contexts.reduce((n, a) => n + a.sessions.length, 0) })
  }
})
process.stdin.on("end", () => void server.stop().finally(() => process.exit(0)))
process.stdin.resume()
