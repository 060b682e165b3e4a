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
import { check_applications, build_single_handler_application } from "../application/from_path.ts"
import { ClientError, ConfigError } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import type { Document } from "../document/document.ts"
import { BokehServerCore } from "../server/core.ts"
import type { ServerSession } from "../server/session.ts"
import { add_log_listener, type LogEntry } from "../util/logging.ts"
import type { AppError } from "./app_errors.ts"
import { AppFailures } from "./app_failures.ts"
import type { AppTestOptions } from "./app_test_options.ts"
import { new_test_browser } from "./browser_connection.ts"
import { check_in_sync } from "./document_state.ts"
import { FirstBrowser } from "./first_browser.ts"
import { ManualClock } from "./manual_clock.ts"
import { MAX_DUE_NOW, next_turn, run_until_idle, settle } from "./settle.ts"
import type { TestBrowser, StepRunner } from "./test_browser.ts"

export type { ModelRef } from "./test_browser.ts"
export type { AppTestOptions } from "./app_test_options.ts"

/** Which AppTest a piece of async work belongs to, so server log lines reach the right one. */
const current = new AsyncLocalStorage<AppTest>()

export class AppTest extends FirstBrowser implements AsyncDisposable, StepRunner {
  /** The clock session callbacks run on: only `advance` and `run_until_idle` move it. */
  readonly clock = new ManualClock()
  /** The server core the session lives in. */
  readonly core: BokehServerCore
  /** Every failure of app code so far, in order. */
  readonly errors: AppError[]
  /** Every server log line (info and above) written for this test, whatever the log level is. */
  readonly log_entries: LogEntry[]
  /** The browsers on the session: the one opened with the test first (`browser`), then `open_browser()`'s. */
  readonly browsers: TestBrowser[] = []
  private readonly _failures: AppFailures
  private readonly _route: string
  private readonly _options: AppTestOptions
  private _server_session: ServerSession | null = null
  private _remove_log_listener: () => void = () => {}
  private _closed = false

  private constructor(
    readonly application: Application,
    route: string,
    options: AppTestOptions,
  ) {
    super()
    this._options = options
    this._failures = new AppFailures(options.raise_errors ?? true)
    this.errors = this._failures.errors
    this.log_entries = this._failures.log_entries
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
          this._failures.fault(fault)
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
      this._failures.log(entry)
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
    const browser = new_test_browser(this, this.core, this._route, this._options, session_id)
    browser.client.on_error((error) => this._failures.client_error(error))
    this.browsers.push(browser)
    await browser.client.pull()
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

  /** The browser the test opened with; `set`, `click`, … and `changes` on the AppTest are this browser's. */
  override get browser(): TestBrowser {
    const browser = this.browsers[0]
    if (browser === undefined) throw new ClientError("BK_ERR_NOT_CONNECTED", "the AppTest has no browser connection")
    return browser
  }

  /** The server session. */
  get session(): ServerSession {
    if (this._server_session === null) throw new ClientError("BK_ERR_NO_DOCUMENT", "the AppTest has no session")
    return this._server_session
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

  /**
   * Throws unless every browser's copy of the document equals the server's (the same models, values and
   * references; ids are compared by position). It proves the patches the server sent say everything
   * its document went through.
   */
  check_in_sync(): void {
    check_in_sync(
      this.document,
      this.browsers.map((b) => b.document),
    )
  }

  // ---------------------------------------------------------------------------------------------
  // steps (a browser's are in FirstBrowser)

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
    await this._step("run_until_idle()", () => run_until_idle(this.clock, this.core, () => this._settle(), limit))
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
    this._failures.raise_unreported("close()")
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
    const first_client_error = this._failures.client_errors_seen
    await current.run(this, fn)
    this._failures.raise_unreported(step)
    this._failures.raise_client_error(first_client_error)
  }

  /**
   * Waits until everything the browser sent is handled and what the server sent is applied, running
   * callbacks that are due now (next-tick callbacks, zero timeouts) on the way. @internal
   */
  _settle(): Promise<void> {
    return settle(this.clock, this.browsers)
  }
}
