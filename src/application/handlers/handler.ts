/**
 * The base of application handlers: each one modifies a new session's document, and may hook the
 * server's and sessions' lifecycle (Python's `bokeh.application.handlers.handler.Handler`).
 */
import type { Document } from "../../document/document.ts"
import type { HTTPRequest } from "../../util/request.ts"
import type { ServerContext, SessionContext } from "../contexts.ts"
import { describe_load_error } from "./load_error.ts"

export abstract class Handler {
  /** Set when the handler's code could not be loaded; `modify_document` then only logs. */
  protected _failed = false
  protected _error: string | null = null
  protected _error_detail: string | null = null

  get failed(): boolean {
    return this._failed
  }

  /** A one-line description of the load failure. */
  get error(): string | null {
    return this._error
  }

  /** The failure's stack, if any. */
  get error_detail(): string | null {
    return this._error_detail
  }

  /** Builds the session's document (runs with `curdoc()` bound to `doc`). */
  abstract modify_document(doc: Document): void | Promise<void>

  /** Resolves when the handler is ready to serve (scripts finish transpiling). */
  async ready(): Promise<void> {}

  /** Called once when the server starts. */
  on_server_loaded(_server_context: ServerContext): void | Promise<void> {}
  /** Called once when the server stops. */
  on_server_unloaded(_server_context: ServerContext): void | Promise<void> {}
  /** Called before a session's document is built. */
  on_session_created(_session_context: SessionContext): void | Promise<void> {}
  /** Called after a session has been discarded. */
  on_session_destroyed(_session_context: SessionContext): void | Promise<void> {}
  /**
   * Called when a session resumed from the session store (`--session-store`): its document was built
   * again and the stored state applied over it; `session_context.app_state` holds what the app saved.
   */
  on_session_restored(_session_context: SessionContext): void | Promise<void> {}

  /** Extra data for a page's session token (the `process_request` hook). */
  process_request(_request: HTTPRequest): Record<string, unknown> {
    return {}
  }

  /** A directory whose files are served at `<app>/static/`, if any. */
  static_path(): string | null {
    return null
  }

  /** The app path this handler suggests (`/name` for `name.ts`), if any. */
  url_path(): string | null {
    return null
  }

  /** Records a load failure (`bokeh-ts serve` refuses to start with it; a server logs it at every session). */
  protected _fail(error: unknown, what: string): void {
    const { message, detail } = describe_load_error(error)
    this._failed = true
    this._error = `${what}:${message.includes("\n") ? "\n" : " "}${message}`
    this._error_detail = detail
  }
}
