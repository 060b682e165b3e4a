/**
 * What applications and their handlers see of the server: the interfaces behind
 * `server_context` and `curdoc().session_context` (implemented in src/server/contexts.ts).
 */
import type { Document } from "../document/document.ts"
import type { HTTPRequest } from "../util/request.ts"
import type { TokenPayload } from "../util/token.ts"

/**
 * Server-wide context, one per application: given to `on_server_loaded`/`on_server_unloaded`.
 * Abstract, as Python's `bokeh.application.application.ServerContext`; the server implements it.
 */
export abstract class ServerContext {
  /** The live sessions of this application. */
  abstract readonly sessions: ReadonlyArray<SessionContext>
}

/**
 * Per-session context: `curdoc().session_context`, and the argument of the session hooks.
 * Abstract, as Python's `SessionContext`; the server implements it.
 */
export abstract class SessionContext {
  /** The session id. */
  abstract readonly id: string
  abstract readonly server_context: ServerContext
  /** The request that created the session, with arguments/headers/cookies from its token (docs/protocol.md §2.5). */
  abstract readonly request: HTTPRequest
  /** The decoded session token (`session_expiry` plus any extra payload). */
  abstract readonly token_payload: TokenPayload
  /** Whether the session has been discarded. */
  abstract readonly destroyed: boolean
  /** The session's document (null while `on_session_created` runs). */
  abstract readonly document: Document | null
  /**
   * Runs `fn(doc)` holding the session's document lock, and sends the changes it makes to the
   * browsers. Use it from code that runs outside session callbacks (timers, other sessions).
   */
  abstract with_locked_document<T>(fn: (doc: Document) => T | Promise<T>): Promise<T>
  /**
   * What the app keeps for this session beyond its document (JSON values): saved with the session's
   * state when a session store is configured (`--session-store`), and filled in again before
   * `on_session_restored` runs when the session resumes on another process.
   */
  app_state: Record<string, unknown> = {}
}
