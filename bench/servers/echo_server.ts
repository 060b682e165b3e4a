/**
 * Child process: a bare `ws` echo server (the ceiling), TCP_NODELAY on, no compression.
 * Prints `PORT <n>` on stdout once listening; exits when stdin closes or on SIGTERM.
 */
import { WebSocketServer } from "ws"

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false })
wss.on("connection", (ws, req) => {
  req.socket.setNoDelay(true)
  ws.on("message", (data, is_binary) => ws.send(data, { binary: is_binary }))
})
wss.on("listening", () => {
  const address = wss.address()
  process.stdout.write(`PORT ${typeof address === "object" && address !== null ? address.port : String(address)}\n`)
})
const stop = (): void => wss.close(() => process.exit(0))
process.on("SIGTERM", stop)
process.stdin.on("end", stop)
process.stdin.resume()
