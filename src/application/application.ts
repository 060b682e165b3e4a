/**
 * `Application`: a recipe for session documents, made of handlers run in order, plus lifecycle
 * hooks and metadata (Python's `bokeh.application.Application`).
 */
import { await_app } from "../core/app_context.ts"
import { UsageError } from "../core/errors.ts"
import { Document } from "../document/document.ts"
import { with_document } from "../document/current.ts"
import type { HTTPRequest } from "../util/request.ts"
import { log } from "../util/logging.ts"
import type { ServerContext, SessionContext } from "./contexts.ts"
import { FunctionHandler, type ModifyDocument } from "./handlers/function.ts"
import type { Handler } from "./handlers/handler.ts"

/** Application metadata served at `<app>/metadata`: a JSON value or a function computing it. */
export type Metadata = unknown | (() => unknown)

export interface ApplicationOptions {
  /** Served at `<app>/metadata` as `{"url": <app path>, "data": metadata}`. */
  readonly metadata?: Metadata
}

export class Application {
  private readonly _handlers: Handler[] = []
  private _static_path: string | null = null
  readonly metadata: Metadata

  /** `handlers` may be handler objects or plain `(doc) => …` functions (wrapped in a FunctionHandler). */
  constructor(...args: Array<Handler | ModifyDocument | ApplicationOptions>) {
    let metadata: Metadata = undefined
    for (const arg of args) {
      if (typeof arg === "function") this.add(new FunctionHandler(arg))
      else if (is_handler(arg)) this.add(arg)
      else metadata = (arg as ApplicationOptions).metadata
    }
    this.metadata = metadata
  }

  get handlers(): readonly Handler[] {
    return this._handlers
  }

  /** Adds a handler; at most one handler may provide a static directory. */
  add(handler: Handler): void {
    this._handlers.push(handler)
    const paths = this._handlers.map((h) => h.static_path()).filter((p) => p !== null)
    if (paths.length > 1) throw new UsageError("BK_ERR_MISUSE", "an application may have only one handler with a static path")
    this._static_path = paths[0] ?? null
  }

  /** The directory served at `<app>/static/`, if a handler has one. */
  get static_path(): string | null {
    return this._static_path
  }

  /** Resolves when every handler is ready (scripts transpiled). */
  async ready(): Promise<void> {
    await Promise.all(this._handlers.map((h) => h.ready()))
  }

  /** A new document built by the handlers (outside a server; the server uses `initialize_document`). */
  async create_document(): Promise<Document> {
    const doc = new Document()
    await this.initialize_document(doc)
    return doc
  }

  /**
   * Runs every handler's `modify_document` on `doc`, in order, with `curdoc()` bound to it. A failing
   * handler is logged and the others still run, so the session still comes up (as in Bokeh).
   */
  async initialize_document(doc: Document): Promise<void> {
    for (const handler of this._handlers) {
      if (handler.failed) {
        log.error(
          `Error running application handler ${handler.constructor.name}: ${handler.error}${handler.error_detail !== null ? `\n${handler.error_detail}` : ""}`,
        )
        continue
      }
      try {
        await with_document(doc, () => handler.modify_document(doc))
      } catch (error) {
        log.error(`Error running application handler ${handler.constructor.name}: ${error instanceof Error ? error.message : String(error)}`, error)
      }
    }
  }

  async on_server_loaded(server_context: ServerContext): Promise<void> {
    for (const h of this._handlers) await h.on_server_loaded(server_context)
  }

  async on_server_unloaded(server_context: ServerContext): Promise<void> {
    for (const h of this._handlers) await h.on_server_unloaded(server_context)
  }

  async on_session_created(session_context: SessionContext): Promise<void> {
    for (const h of this._handlers) await h.on_session_created(session_context)
  }

  /** Runs the handlers' hooks, then the document's own `on_session_destroyed` callbacks; one failing doesn't skip the others. */
  async on_session_destroyed(session_context: SessionContext): Promise<void> {
    for (const h of this._handlers)
      await await_app(
        () => `on_session_destroyed of ${h.constructor.name}`,
        () => h.on_session_destroyed(session_context),
      )
    const doc = session_context.document
    if (doc !== null)
      for (const cb of doc.session_destroyed_callbacks)
        await await_app(
          () => `Document.on_session_destroyed callback ${cb.name || "(anonymous)"}`,
          () => cb(session_context),
        )
  }

  /** Runs the handlers' `on_session_restored` hooks, then the document's own; one failing doesn't skip the others. */
  async on_session_restored(session_context: SessionContext): Promise<void> {
    for (const h of this._handlers)
      await await_app(
        () => `on_session_restored of ${h.constructor.name}`,
        () => h.on_session_restored(session_context),
      )
    const doc = session_context.document
    if (doc !== null)
      for (const cb of doc.session_restored_callbacks)
        await await_app(
          () => `Document.on_session_restored callback ${cb.name || "(anonymous)"}`,
          () => cb(session_context),
        )
  }

  /** Extra token payload for a page request: the merged results of the handlers' `process_request`. */
  process_request(request: HTTPRequest): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const h of this._handlers) Object.assign(out, h.process_request(request))
    return out
  }

  /** The metadata value (calling it if it is a function). */
  get_metadata(): unknown {
    return typeof this.metadata === "function" ? (this.metadata as () => unknown)() : this.metadata
  }
}

function is_handler(value: unknown): value is Handler {
  return typeof value === "object" && value !== null && typeof (value as Handler).modify_document === "function"
}
