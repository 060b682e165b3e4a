/** Server lifecycle hooks: the server calls these as it starts, opens and closes sessions, and stops. */
import type { ServerContext, SessionContext } from "bokeh-ts"

import { stats } from "./state.ts"

export function on_server_loaded(_context: ServerContext): void {
  stats.started = new Date().toISOString()
}
export function on_session_created(_context: SessionContext): void {
  stats.sessions_created += 1
  stats.sessions_open += 1
}
export function on_session_destroyed(_context: SessionContext): void {
  stats.sessions_open -= 1
}
export function on_server_unloaded(_context: ServerContext): void {
  console.log(`lifecycle app: ${stats.sessions_created} sessions served`)
}
