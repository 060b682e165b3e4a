/**
 * `ServerLifecycleHandler`: hooks from a module (`server_lifecycle.ts` or `app_hooks.ts` of a
 * directory app) exporting any of `on_server_loaded(server_context)`,
 * `on_server_unloaded(server_context)`, `on_session_created(session_context)`,
 * `on_session_destroyed(session_context)`, `on_session_restored(session_context)` (a session resumed
 * from the session store) and `process_request(request)`. The module is imported
 * once, when the server loads it.
 */
import { resolve } from "node:path"

import { import_app_module } from "./app_loader.ts"

import type { Document } from "../../document/document.ts"
import type { HTTPRequest } from "../../util/request.ts"
import type { ServerContext, SessionContext } from "../contexts.ts"
import { Handler } from "./handler.ts"

interface Hooks {
  on_server_loaded?: (context: ServerContext) => unknown
  on_server_unloaded?: (context: ServerContext) => unknown
  on_session_created?: (context: SessionContext) => unknown
  on_session_destroyed?: (context: SessionContext) => unknown
  on_session_restored?: (context: SessionContext) => unknown
  process_request?: (request: HTTPRequest) => Record<string, unknown>
}

export class ServerLifecycleHandler extends Handler {
  readonly filename: string
  private _hooks: Hooks = {}
  private readonly _ready: Promise<void>

  constructor(options: { filename: string }) {
    super()
    this.filename = resolve(options.filename)
    this._ready = this._load()
  }

  private async _load(): Promise<void> {
    try {
      this._hooks = (await import_app_module(this.filename)) as Hooks
    } catch (error) {
      this._fail(error, `failed to load ${this.filename}`)
    }
  }

  override async ready(): Promise<void> {
    await this._ready
  }

  /** Lifecycle modules do not build documents. */
  modify_document(_doc: Document): void {}

  override async on_server_loaded(context: ServerContext): Promise<void> {
    await this._ready
    await this._hooks.on_server_loaded?.(context)
  }

  override async on_server_unloaded(context: ServerContext): Promise<void> {
    await this._hooks.on_server_unloaded?.(context)
  }

  override async on_session_created(context: SessionContext): Promise<void> {
    await this._hooks.on_session_created?.(context)
  }

  override async on_session_destroyed(context: SessionContext): Promise<void> {
    await this._hooks.on_session_destroyed?.(context)
  }

  override async on_session_restored(context: SessionContext): Promise<void> {
    await this._hooks.on_session_restored?.(context)
  }

  override process_request(request: HTTPRequest): Record<string, unknown> {
    return this._hooks.process_request?.(request) ?? {}
  }
}
