/**
 * `AppTest`: test a Bokeh app without a server process, a socket or a browser. It builds the app's
 * Application and the real server core in this process, opens a session through the core's in-process
 * websocket (src/server/in_process.ts) with our protocol client standing in for the browser, and hands
 * the server a manual clock. So the app runs exactly as `bokeh-ts serve` runs it (handlers, session,
 * document lock, callbacks, patches, echo rules), and the test drives it the way a browser does:
 *
 * ```ts
 * await using at = await AppTest.from_file("examples/sliders.ts")
 * await at.set("freq", { value: 2 })             // a PATCH-DOC from the "browser"; on_change runs on the server
 * assert.notDeepEqual(at.get<ColumnDataSource>("source").data.y, before)
 * await at.advance(5000)                          // periodic/timeout callbacks due in 5 s run, in order
 * ```
 *
 * Every step (`set`, `click`, `event`, `select`, `advance`, `run_until_idle`) returns once the server has
 * handled it, its callbacks (async ones included) have finished, and what the server sent has reached
 * the browser's copy of the document. App code that fails makes the step throw `AppCallbackError` naming
 * the app's file and line (after the step was still done completely, as the server does it); a failure
 * between steps is thrown by the next step, or by `close()`. Every failure is also kept in `errors`.
 */
import { AsyncLocalStorage } from "node:async_hooks"
import { statSync } from "node:fs"

import { Application } from "../application/application.ts"
import type { ModifyDocument } from "../application/handlers/function.ts"
import { ClientSession } from "../client/session.ts"
import type { OpenOptions } from "../client/websocket.ts"
import { check_applications, build_single_handler_application } from "../application/from_path.ts"
import type { BokehEvent, EventValues } from "../core/bokeh_events.ts"
import { BokehError, ClientError, ConfigError } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import { NextTickCallback, TimeoutCallback } from "../document/callbacks.ts"
import type { Document } from "../document/document.ts"
import type { AnyMessage } from "../protocol/message.ts"
import { BokehServerCore } from "../server/core.ts"
import type { AppFault } from "../server/faults.ts"
import { connect_in_process } from "../server/in_process.ts"
import type { ServerOptions } from "../server/options.ts"
import type { ServerSession } from "../server/session.ts"
import { add_log_listener, type LogEntry } from "../util/logging.ts"
import { quote_plus } from "../util/url.ts"
import { AppCallbackError, app_error, type AppError } from "./app_errors.ts"
import { BrowserRecord, type Mark, type PatchEvent, type PatchSummary } from "./browser_record.ts"
import { document_state } from "./document_state.ts"
import { ManualClock } from "./manual_clock.ts"
import { TestBrowser, type ModelRef, type StepRunner } from "./test_browser.ts"

export type { ModelRef } from "./test_browser.ts"

export interface AppTestOptions {
  /** Request arguments the app sees in `session_context.request.arguments` (`{N: "10"}`, `{tag: ["a", "b"]}`). */
  readonly arguments?: Readonly<Record<string, string | readonly string[]>>
  /** Headers of the browser's websocket request (`session_context.request.headers`). */
  readonly headers?: Readonly<Record<string, string>>
  /** Cookies of the browser's request (`session_context.request.cookies`). */
  readonly cookies?: Readonly<Record<string, string>>
  /** A script or directory app's command line arguments (`process.argv` after the file, as `serve --args`). */
  readonly argv?: readonly string[]
  /**
   * Whether a step whose app code failed throws `AppCallbackError` (default true). With false, failures
   * are only collected in `errors`.
   */
  readonly raise_errors?: boolean
  /**
   * Whether the server's log lines for this test also go to the log as usual (false by default: they are
   * kept in `logs`, and failures are thrown by the steps).
   */
  readonly print_logs?: boolean
  /** Server options, for the rare test that needs one (the defaults: no keep-alive pings, unsigned sessions). */
  readonly server?: ServerOptions
}

/** Which AppTest a piece of async work belongs to, so server log lines reach the right one. */
const current = new AsyncLocalStorage<AppTest>()

/** Most callbacks a step may run at one instant (next-tick callbacks scheduling each other) before it gives up. */
const MAX_DUE_NOW = 10_000

export class AppTest implements AsyncDisposable, StepRunner {
  /** The clock session callbacks run on: only `advance` and `run_until_idle` move it. */
  readonly clock = new ManualClock()
  /** The server core the session lives in. */
  readonly core: BokehServerCore
  /** Every failure of app code so far, in order. */
  readonly errors: AppError[] = []
  /** Every server log line (info and above) written for this test, whatever the log level is. */
  readonly log_entries: LogEntry[] = []
  /** The browsers on the session: the one opened with the test first (`browser`), then `open_browser()`'s. */
  readonly browsers: TestBrowser[] = []
  private readonly _raise: boolean
  private readonly _route: string
  private readonly _options: AppTestOptions
  /** Errors the client saw: the server rejecting a change, a server patch that would not apply. */
  private readonly _client_errors: BokehError[] = []
  private _server_session: ServerSession | null = null
  private _remove_log_listener: () => void = () => {}
  private _closed = false
  /** How many of `errors` a step has thrown already. */
  private _reported = 0

  private constructor(
    readonly application: Application,
    route: string,
    options: AppTestOptions,
  ) {
    this._options = options
    this._raise = options.raise_errors ?? true
    this._route = route === "/" ? "" : `/${route.replace(/^\/+|\/+$/g, "")}`
    const user_fault = options.server?.on_app_fault
    this.core = new BokehServerCore(
      { [route]: application },
      {
        keep_alive_milliseconds: 0,
        sign_sessions: false,
        secret_key: null,
        ...options.server,
        scheduler: this.clock,
        on_app_fault: (fault) => {
          this._fault(fault)
          user_fault?.(fault)
        },
      },
      options.server?.allow_websocket_origin ?? [],
    )
  }

  // ---------------------------------------------------------------------------------------------
  // construction

  /** The app in a script (`.ts`/`.js`), a notebook (`.ipynb`) or a directory, as `bokeh-ts serve <path>` serves it. */
  static async from_file(path: string, options: AppTestOptions = {}): Promise<AppTest> {
    const { route, application } = build_single_handler_application(path, options.argv ?? [])
    return await AppTest.from_application(application, { ...options, route })
  }

  /** A directory app (`main.ts`, `server_lifecycle.ts`, `theme.yaml`, `templates/`, `static/`). */
  static async from_directory(dir: string, options: AppTestOptions = {}): Promise<AppTest> {
    let is_dir = false
    try {
      is_dir = statSync(dir).isDirectory()
    } catch {
      // reported below
    }
    if (!is_dir) throw new ConfigError("BK_ERR_APP_LOAD", `AppTest.from_directory needs an app directory, got ${dir}`)
    return await AppTest.from_file(dir, options)
  }

  /** An app made of a function that builds each session's document (`curdoc()` is bound while it runs). */
  static async from_function(modify_doc: ModifyDocument, options: AppTestOptions = {}): Promise<AppTest> {
    return await AppTest.from_application(new Application(modify_doc), options)
  }

  /** Any Application, served at `route` ("/" by default). */
  static async from_application(application: Application, options: AppTestOptions & { readonly route?: string } = {}): Promise<AppTest> {
    const route = options.route ?? "/"
    // A script with a syntax error fails here, as `serve` refuses to start (file:line:col: message).
    await check_applications({ [route]: application })
    const at = new AppTest(application, route, options)
    try {
      await at._open()
    } catch (error) {
      await at.close().catch(() => {})
      throw error
    }
    return at
  }

  private async _open(): Promise<void> {
    this._remove_log_listener = add_log_listener((entry) => {
      if (current.getStore() !== this) return false
      this._log(entry)
      return this._options.print_logs !== true
    })
    await this._step("opening the session", async () => {
      await this.core.start()
      const browser = await this._connect_browser(null)
      this._server_session = this.core.application_contexts[0]!.get_session(browser.client.id) ?? null
      await this._settle()
    })
  }

  /** A browser pulling session `session_id` (a new session when null), with the test's request options. */
  private async _connect_browser(session_id: string | null): Promise<TestBrowser> {
    const headers: Record<string, string> = { ...this._options.headers }
    const cookies = Object.entries(this._options.cookies ?? {})
    if (cookies.length > 0) headers["Cookie"] = cookies.map(([k, v]) => `${k}=${v}`).join("; ")
    const record = new BrowserRecord()
    const client = new ClientSession({
      session_id,
      websocket_url: `ws://localhost${this._route}/ws${query_string(this._options.arguments ?? {})}`,
      headers,
      open_socket: (o: OpenOptions) => {
        const socket = connect_in_process(this.core, { url: o.url, protocols: ["bokeh", o.token], headers: o.headers ?? {} })
        // Registered before the client's own listener: the record holds each message before the client applies it.
        socket.on("message", (data: Buffer, is_binary: boolean) => record.consume(data, is_binary))
        return socket
      },
    })
    client.on_error((error) => this._client_errors.push(error))
    const browser = new TestBrowser(this, client, record)
    this.browsers.push(browser)
    await client.pull()
    return browser
  }

  /**
   * Opens another browser on the same session (as a second tab on the same page would), for what one
   * browser's changes send to the others: `const other = await at.open_browser(); await at.set(...); other.changes(mark)`.
   */
  async open_browser(): Promise<TestBrowser> {
    let browser: TestBrowser | null = null
    await this._step("open_browser()", async () => {
      browser = await this._connect_browser(this.session.id)
      await this._settle()
    })
    return browser!
  }

  // ---------------------------------------------------------------------------------------------
  // state

  /** The session's document on the server: what the app's code sees and changes. */
  get document(): Document {
    return this.session.document
  }

  /** The first browser's copy of the document, built only from what the server sent it. */
  get browser_document(): Document {
    return this.browser.document
  }

  /** The browser the test opened with; `set`, `click`, … and `changes` on the AppTest are this browser's. */
  get browser(): TestBrowser {
    const browser = this.browsers[0]
    if (browser === undefined) throw new ClientError("BK_ERR_NOT_CONNECTED", "the AppTest has no browser connection")
    return browser
  }

  /** The server session. */
  get session(): ServerSession {
    if (this._server_session === null) throw new ClientError("BK_ERR_NO_DOCUMENT", "the AppTest has no session")
    return this._server_session
  }

  /** The protocol client standing in for the first browser. */
  get client(): ClientSession {
    return this.browser.client
  }

  /** The model named `name` in the server's document (throws if there is none). */
  get<T extends HasProps = HasProps>(name: string): T {
    const model = this.document.get_model_by_name(name)
    if (model === null) throw new ClientError("BK_ERR_NO_DOCUMENT", `no model named '${name}' in the app's document`)
    return model as T
  }

  /** The server's log lines written for this test. */
  get logs(): string[] {
    return this.log_entries.map((e) => e.line)
  }

  /** Every message the first browser received, decoded (ACK, PULL-DOC-REPLY, PATCH-DOC, OK, …). */
  get messages(): readonly AnyMessage[] {
    return this.browser.messages
  }

  /** A position in what the first browser received; pass it to `patches`/`changes` for what came after. */
  mark(): Mark {
    return this.browser.mark()
  }

  /** The PATCH-DOC events the first browser received after `since` (everything by default), as sent. */
  patches(since: Mark = 0): PatchEvent[] {
    return this.browser.patches(since)
  }

  /** Those events in short: `{kind: "ModelChanged", model: "title", attr: "text"}` (a model's name, else its id). */
  changes(since: Mark = 0): PatchSummary[] {
    return this.browser.changes(since)
  }

  /**
   * Throws unless every browser's copy of the document equals the server's (the same models, values and
   * references; ids are compared by position). It proves the patches the server sent say everything
   * its document went through.
   */
  check_in_sync(): void {
    const server = JSON.stringify(document_state(this.document))
    for (const [i, b] of this.browsers.entries()) {
      const browser = JSON.stringify(document_state(b.document))
      if (server !== browser)
        throw new ClientError("BK_ERR_SERVER_ERROR", `browser ${i}'s document differs from the server's:\n${first_difference(server, browser)}`)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // steps: what a browser does

  /** Sets properties of a model as a user's input does: a PATCH-DOC from the browser, so on_change runs on the server. */
  set(target: ModelRef, values: Record<string, unknown>): Promise<void> {
    return this.browser.set(target, values)
  }

  /** A button click (ButtonClick on the model): its `on_click`/`on_event` callbacks run on the server. */
  click(target: ModelRef): Promise<void> {
    return this.browser.click(target)
  }

  /**
   * A UI event on a model, as BokehJS sends it: `at.event("menu", MenuItemClick, {item: "save"})`,
   * `at.event("plot", "tap", {x: 1, y: 2, sx: 10, sy: 20})`, or an event object; `null` for document events.
   */
  event(target: ModelRef | null, event: BokehEvent | typeof BokehEvent | string, values: EventValues = {}): Promise<void> {
    return this.browser.event(target, event, values)
  }

  /** Selects rows of a data source, as a selection tool does (`source.selected.indices`). */
  select(source: ModelRef, indices: readonly number[]): Promise<void> {
    return this.browser.select(source, indices)
  }

  /**
   * Moves the clock `ms` forward: periodic and timeout callbacks due in that span run in deadline
   * order, each finishing (async ones included) before the next, with what they send reaching the browser.
   */
  async advance(ms: number): Promise<void> {
    await this._step(`advance(${ms})`, async () => {
      await this._settle()
      await this.clock.advance(ms, () => next_turn())
      await this._settle()
    })
  }

  /**
   * Runs until no timeout or next-tick callback is waiting, moving the clock to each one's deadline (periodic
   * callbacks due on the way run too; they alone never keep it going). Gives up with BK_ERR_TIMEOUT after
   * `limit` callbacks (10,000), for apps whose timeouts keep adding timeouts.
   */
  async run_until_idle(limit = MAX_DUE_NOW): Promise<void> {
    await this._step("run_until_idle()", async () => {
      await this._settle()
      let ran = 0
      while (this._one_shots_waiting()) {
        const deadline = this.clock.next_deadline
        if (deadline === null) break
        await this.clock.run_next(deadline)
        await this._settle()
        if (++ran > limit) throw new ClientError("BK_ERR_TIMEOUT", `run_until_idle() ran ${limit} callbacks and the app still has timeouts waiting`)
      }
    })
  }

  /** Closes the browser connection, discards the session (its destroy hooks run) and stops the server core. */
  async close(): Promise<void> {
    if (this._closed) return
    this._closed = true
    try {
      await current.run(this, async () => {
        for (const b of this.browsers) await b.client.close()
        await this.core.stop()
      })
    } finally {
      this._remove_log_listener()
    }
    // Failures after the last step (a destroy hook, a promise the app left running) are not lost either.
    this._raise_unreported("close()")
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  // ---------------------------------------------------------------------------------------------
  // internals

  /**
   * Runs one step in this test's context; then throws what went wrong in it: app failures (with their
   * file and line), or else an error the browser saw (the server refusing its change, a patch that
   * would not apply). @internal (browsers run their steps through it)
   */
  async _step(step: string, fn: () => Promise<void>): Promise<void> {
    if (this._closed) throw new ClientError("BK_ERR_NOT_CONNECTED", `${step}: the AppTest is closed`)
    const first_client_error = this._client_errors.length
    await current.run(this, fn)
    this._raise_unreported(step)
    const refused = this._client_errors.slice(first_client_error)
    if (refused.length > 0) throw refused[0]!
  }

  /** Throws the failures no step has thrown yet (those of this step, and any that came after the last one). */
  private _raise_unreported(step: string): void {
    const failed = this.errors.slice(this._reported)
    this._reported = this.errors.length
    if (failed.length > 0 && this._raise) throw new AppCallbackError(failed, step)
  }

  /**
   * Waits until everything the browser sent is handled and what the server sent is applied, running
   * callbacks that are due now (next-tick callbacks, zero timeouts) on the way. @internal
   */
  async _settle(): Promise<void> {
    for (let i = 0; ; i++) {
      // Changes app code made outside a locked operation go out on the next turn of the event loop.
      await next_turn()
      // The server handles a connection's messages in order: its reply proves all earlier ones were
      // handled (their callbacks awaited), and the patches it sent before it are applied here by now.
      for (const b of this.browsers) if (b.client.connected) await b.client.force_roundtrip()
      if (!(await this.clock.run_next(this.clock.now()))) return
      if (i >= MAX_DUE_NOW) throw new ClientError("BK_ERR_TIMEOUT", `the app kept scheduling callbacks due now (${MAX_DUE_NOW} in a row)`)
    }
  }

  private _one_shots_waiting(): boolean {
    for (const session of this.core.application_contexts.flatMap((a) => a.sessions)) {
      for (const cb of session.document.session_callbacks) if (cb instanceof TimeoutCallback || cb instanceof NextTickCallback) return true
    }
    return false
  }

  private _fault(fault: AppFault): void {
    this.errors.push(app_error(fault.error, fault.where, fault.during))
  }

  private _log(entry: LogEntry): void {
    this.log_entries.push(entry)
    // Failures the server logs with their error but not through a session's fault sink: the app's
    // script throwing while it builds a session's document, a session that could not be created.
    if ((entry.level === "error" || entry.level === "critical") && entry.error instanceof Error) {
      const where = entry.message.split("\n")[0]!
      this.errors.push(
        app_error(
          entry.error,
          where,
          /^Error running application handler|^could not create session/.test(where) ? "creating the session" : "serving the session",
        ),
      )
    }
  }
}

function query_string(args: Readonly<Record<string, string | readonly string[]>>): string {
  const parts = Object.entries(args).flatMap(([k, v]) => (typeof v === "string" ? [v] : v).map((x) => `${quote_plus(k)}=${quote_plus(x)}`))
  return parts.length === 0 ? "" : `?${parts.join("&")}`
}

function next_turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Where two JSON texts first differ, with some context. */
function first_difference(a: string, b: string): string {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const from = Math.max(0, i - 80)
  return `server:  …${a.slice(from, i + 80)}…\nbrowser: …${b.slice(from, i + 80)}…`
}
