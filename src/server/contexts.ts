/**
 * Server-side contexts (Python's `bokeh.server.contexts`): `ApplicationContext` owns one app's
 * sessions and creates them (§7.3: concurrent requests for one id share one creation);
 * `BokehServerContext` and `BokehSessionContext` are what app code sees.
 */
import type { Application } from "../application/application.ts"
import { ServerContext, SessionContext } from "../application/contexts.ts"
import { Document } from "../document/document.ts"
import { TaskGroup, await_app, with_app_context } from "../core/app_context.ts"
import { TokenError } from "../core/errors.ts"
import { with_id_source } from "../core/ids.ts"
import { SessionIdSource } from "../core/session_ids.ts"
import { ProtocolError } from "../core/errors.ts"
import { get_token_payload, type TokenPayload } from "../util/token.ts"
import { log } from "../util/logging.ts"
import { repr } from "../util/repr.ts"
import type { HTTPRequest, RequestArguments } from "../util/request.ts"
import { burst_work } from "./fair_share.ts"
import { AppFaults, SessionFaults, type FaultListener } from "./faults.ts"
import { NO_METRICS, type ServerMetrics } from "./metrics.ts"
import { ServerSession } from "./session.ts"
import type { Scheduler } from "../util/scheduler.ts"

/** What an application's sessions get from the server besides the app (server options of the same names). */
export interface SessionEnvironment {
  /** The clock session callbacks run on (Node's timers by default). */
  readonly scheduler?: Scheduler
  /** Hears of every failure of the app's code, besides the log. */
  readonly on_app_fault?: FaultListener
}
import type { SessionPersistence } from "./session_store/persistence.ts"
import { resume_from_state } from "./session_store/resume.ts"

export class BokehServerContext extends ServerContext {
  constructor(private readonly _app_context: ApplicationContext) {
    super()
  }

  get sessions(): ReadonlyArray<SessionContext> {
    return this._app_context.sessions.map((s) => this._app_context.session_context(s.id)!).filter((c) => c !== undefined)
  }
}

export class BokehSessionContext extends SessionContext {
  private _session: ServerSession | null = null
  private readonly _request: HTTPRequest
  readonly token_payload: TokenPayload

  constructor(
    readonly id: string,
    readonly server_context: ServerContext,
    private readonly _document: Document,
    request: HTTPRequest,
    token: string,
  ) {
    super()
    this.token_payload = get_token_payload(token)
    this._request = request_from_token(request, this.token_payload)
  }

  get request(): HTTPRequest {
    return this._request
  }

  get document(): Document | null {
    return this._document
  }

  get destroyed(): boolean {
    return this._session?.destroyed ?? false
  }

  /** @internal */
  _set_session(session: ServerSession): void {
    this._session = session
  }

  async with_locked_document<T>(fn: (doc: Document) => T | Promise<T>): Promise<T> {
    // During on_session_created there is no session and no lock yet: run directly, as Bokeh does.
    if (this._session === null) return await fn(this._document)
    return await this._session.with_document_locked(fn)
  }
}

/**
 * The request as the app sees it (docs/protocol.md §2.5): arguments, cookies and headers come from the
 * token's extra payload when present (a page GET put them there), else from the request itself;
 * `bokeh-session-id` is never among the arguments.
 */
function request_from_token(request: HTTPRequest, payload: TokenPayload): HTTPRequest {
  let args: RequestArguments = request.arguments
  if (payload["arguments"] !== undefined && typeof payload["arguments"] === "object" && payload["arguments"] !== null) {
    args = Object.create(null) as RequestArguments
    for (const [k, v] of Object.entries(payload["arguments"] as Record<string, unknown>)) {
      if (Array.isArray(v)) args[k] = v.map((x) => (x instanceof Uint8Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength) : Buffer.from(String(x))))
    }
  } else {
    args = Object.assign(Object.create(null) as RequestArguments, args)
  }
  delete args["bokeh-session-id"]
  const cookies = is_string_record(payload["cookies"]) ? payload["cookies"] : request.cookies
  let headers = is_string_record(payload["headers"]) ? payload["headers"] : request.headers
  if (is_string_record(payload["cookies"]) && is_string_record(payload["headers"]) && headers["Cookie"] === undefined && Object.keys(cookies).length > 0) {
    headers = {
      ...headers,
      Cookie: Object.entries(cookies)
        .map(([k, v]) => `${k}=${v}`)
        .join("; "),
    }
  }
  return { ...request, arguments: args, cookies, headers }
}

function is_string_record(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string")
}

/** One application mounted at one path: its sessions, their creation and their expiry. */
export class ApplicationContext {
  private readonly _sessions = new Map<string, ServerSession>()
  private readonly _session_contexts = new Map<string, BokehSessionContext>()
  private readonly _pending = new Map<string, Promise<ServerSession>>()
  readonly server_context: BokehServerContext
  /** Where failures of the app's server-wide code (server hooks and what they start) are logged. */
  readonly faults: AppFaults
  /** Where session creation and expiry are counted (set by the core when metrics are on). */
  metrics: ServerMetrics = NO_METRICS
  /** The session store's writer and reader (`--session-store`), set by the server core; null without a store. */
  persistence: SessionPersistence | null = null

  constructor(
    readonly application: Application,
    readonly url: string,
    private readonly _environment: SessionEnvironment = {},
  ) {
    this.server_context = new BokehServerContext(this)
    this.faults = new AppFaults(url, _environment.on_app_fault ?? null)
  }

  get sessions(): ServerSession[] {
    return [...this._sessions.values()]
  }

  get session_count(): number {
    return this._sessions.size
  }

  get_session(id: string): ServerSession | undefined {
    return this._sessions.get(id)
  }

  session_context(id: string): BokehSessionContext | undefined {
    return this._session_contexts.get(id)
  }

  async run_load_hook(): Promise<void> {
    await with_app_context({ faults: this.faults, during: "running lifecycle hook", tasks: null }, () =>
      await_app(
        () => "on_server_loaded",
        () => this.application.on_server_loaded(this.server_context),
      ),
    )
  }

  async run_unload_hook(): Promise<void> {
    await with_app_context({ faults: this.faults, during: "running lifecycle hook", tasks: null }, () =>
      await_app(
        () => "on_server_unloaded",
        () => this.application.on_server_unloaded(this.server_context),
      ),
    )
  }

  /** The live session `id`, created from `request` and `token` if it does not exist (docs/protocol.md §7.3). */
  create_session_if_needed(id: string, request: HTTPRequest, token: string): Promise<ServerSession> {
    if (id === "") return Promise.reject(new TokenError("BK_ERR_NO_SESSION_ID", "a session id must not be empty"))
    const existing = this._sessions.get(id)
    if (existing !== undefined) return Promise.resolve(existing)
    let pending = this._pending.get(id)
    if (pending === undefined) {
      pending = this._create_session(id, request, token).finally(() => this._pending.delete(id))
      this._pending.set(id, pending)
    }
    return pending
  }

  private async _create_session(id: string, request: HTTPRequest, token: string): Promise<ServerSession> {
    await burst_work.turn()
    const started = performance.now()
    const doc = new Document()
    const context = new BokehSessionContext(id, this.server_context, doc, request, token)
    doc.session_context = context
    // The session's app code runs attributed to it from the start, so even a promise the app leaves
    // behind while building the document is logged with this session's id.
    const faults = new SessionFaults(id, this._environment.on_app_fault ?? null)
    const tasks = new TaskGroup()
    // Model ids derive from the session id, so any process builds this session's document alike.
    const ids = new SessionIdSource(id)
    // Looked up while the app builds: a session another process held resumes from its stored state.
    const stored = this.persistence?.load(this.url, id) ?? null
    await with_id_source(ids, () =>
      with_app_context({ document: doc, faults, during: "creating session", tasks, lock: null }, async () => {
        await await_app(
          () => "on_session_created",
          () => this.application.on_session_created(context),
        )
        await burst_work.turn()
        await this.application.initialize_document(doc)
        await tasks.settle()
      }),
    )
    const state = await stored
    const resumed = state !== null && (await resume_from_state(this.application, context, doc, ids, faults, state))
    const session = new ServerSession(id, doc, token, faults, this._environment.scheduler, ids)
    if (this.persistence !== null) this.persistence.track(this.url, session, context, resumed)
    context._set_session(session)
    this._sessions.set(id, session)
    this._session_contexts.set(id, context)
    this.metrics.session_created((performance.now() - started) / 1000)
    if (resumed) this.metrics.session_resumed()
    log.info(`Session ${repr(id)} ${resumed ? "resumed from the session store" : "created"}`)
    return session
  }

  /** Discards sessions without connections whose last connection left more than `lifetime_ms` ago. */
  async cleanup_sessions(lifetime_ms: number): Promise<void> {
    for (const session of this.sessions) {
      if (session.connection_count > 0 || session.expiration_blocked || session.milliseconds_since_last_unsubscribe < lifetime_ms) continue
      this.metrics.session_expired()
      await this.discard_session(session)
    }
  }

  /** Destroys a session and runs the destroy hooks (outside the lock). */
  async discard_session(session: ServerSession): Promise<void> {
    if (session.destroyed) return
    const context = this._session_contexts.get(session.id)
    this.persistence?.untrack(session)
    session.destroy()
    this._sessions.delete(session.id)
    this._session_contexts.delete(session.id)
    log.info(`Session ${repr(session.id)} discarded`)
    if (context !== undefined) {
      await with_app_context({ faults: session.faults, during: "destroying session", tasks: null }, () =>
        await_app(
          () => "on_session_destroyed",
          () => this.application.on_session_destroyed(context),
        ),
      )
    }
  }
}
