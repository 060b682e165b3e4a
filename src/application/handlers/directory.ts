/**
 * `DirectoryHandler`: an app directory (docs/protocol.md §7.1) with
 * - `main.ts`, `main.js` or `main.ipynb` (required): the app script;
 * - `server_lifecycle.ts|js` or `app_hooks.ts|js` (not both): lifecycle hooks;
 * - `static/`: files served at `<app>/static/`;
 * - `templates/index.html`: a Jinja (nunjucks) page template that `{% extends base %}`; other
 *   templates in that folder can be included or extended from it;
 * - `theme.yaml` (as Python) or `theme.json`: a Theme given to every session's document before
 *   `main` runs, so the app can still set its own `curdoc().theme`.
 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { basename, join, resolve } from "node:path"

import { ConfigError } from "../../core/errors.ts"
import type { Document } from "../../document/document.ts"
import type { HTTPRequest } from "../../util/request.ts"
import type { ServerContext, SessionContext } from "../contexts.ts"
import { Handler } from "./handler.ts"
import { NotebookHandler } from "./notebook.ts"
import { ScriptHandler } from "./script.ts"
import { ServerLifecycleHandler } from "./server_lifecycle.ts"
import { Theme } from "../../themes/theme.ts"

const MAIN_NAMES = ["main.ts", "main.js", "main.mts", "main.mjs", "main.ipynb"]
const THEME_NAMES = ["theme.yaml", "theme.json"]

export class DirectoryHandler extends Handler {
  readonly filename: string
  private readonly _main: Handler
  private readonly _lifecycle: ServerLifecycleHandler | null = null
  private readonly _static: string | null
  private readonly _template: string | null
  /** Loaded once and shared by every session (themes are immutable, as Python assumes too). */
  private readonly _theme: Theme | null
  /** The `templates/` folder, searched for templates the page template includes. */
  readonly template_dir: string | null

  constructor(options: { filename: string; argv?: readonly string[] }) {
    super()
    const dir = resolve(options.filename)
    this.filename = dir
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError("BK_ERR_APP_LOAD", `${dir} is not a directory`)
    const main = MAIN_NAMES.map((n) => join(dir, n)).find((p) => existsSync(p))
    if (main === undefined) throw new ConfigError("BK_ERR_APP_LOAD", `no main.ts, main.js or main.ipynb in ${dir}: an app directory needs one`)
    const argv = options.argv ?? []
    this._main = main.endsWith(".ipynb") ? new NotebookHandler({ filename: main, argv }) : new ScriptHandler({ filename: main, argv })
    const hooks = ["server_lifecycle", "app_hooks"]
      .flatMap((stem) => ["ts", "js", "mts", "mjs"].map((ext) => join(dir, `${stem}.${ext}`)))
      .filter((p) => existsSync(p))
    if (hooks.some((h) => basename(h).startsWith("server_lifecycle")) && hooks.some((h) => basename(h).startsWith("app_hooks")))
      throw new ConfigError("BK_ERR_APP_LOAD", `${dir} has both server_lifecycle and app_hooks: use only one`)
    if (hooks.length > 1) throw new ConfigError("BK_ERR_APP_LOAD", `${dir} has several lifecycle modules: ${hooks.map((h) => basename(h)).join(", ")}`)
    if (hooks.length === 1) this._lifecycle = new ServerLifecycleHandler({ filename: hooks[0]! })
    const static_dir = join(dir, "static")
    this._static = existsSync(static_dir) && statSync(static_dir).isDirectory() ? static_dir : null
    const templates = join(dir, "templates")
    const index = join(templates, "index.html")
    this._template = existsSync(index) ? readFileSync(index, "utf8") : null
    this.template_dir = existsSync(templates) ? templates : null
    const themes = THEME_NAMES.map((n) => join(dir, n)).filter((p) => existsSync(p))
    if (themes.length > 1) throw new ConfigError("BK_ERR_APP_LOAD", `${dir} has both theme.yaml and theme.json: keep only one`)
    // A bad theme is the app's error (ThemeError, with its own code), reported when the app loads.
    this._theme = themes.length === 1 ? new Theme({ filename: themes[0]! }) : null
  }

  /** The app's theme (from theme.yaml or theme.json), or null. */
  get theme(): Theme | null {
    return this._theme
  }

  override get failed(): boolean {
    return this._main.failed || (this._lifecycle?.failed ?? false)
  }

  override get error(): string | null {
    return this._main.error ?? this._lifecycle?.error ?? null
  }

  override get error_detail(): string | null {
    return this._main.error_detail ?? this._lifecycle?.error_detail ?? null
  }

  override async ready(): Promise<void> {
    await Promise.all([this._main.ready(), this._lifecycle?.ready()])
  }

  async modify_document(doc: Document): Promise<void> {
    if (this._main.failed) throw new ConfigError("BK_ERR_APP_LOAD", this._main.error ?? "the app failed to load")
    if (this._theme !== null) doc.theme = this._theme
    await this._main.modify_document(doc)
    if (this._template !== null && doc.template === null) doc.template = this._template
  }

  override async on_server_loaded(context: ServerContext): Promise<void> {
    await this._lifecycle?.on_server_loaded(context)
  }

  override async on_server_unloaded(context: ServerContext): Promise<void> {
    await this._lifecycle?.on_server_unloaded(context)
  }

  override async on_session_created(context: SessionContext): Promise<void> {
    await this._lifecycle?.on_session_created(context)
  }

  override async on_session_destroyed(context: SessionContext): Promise<void> {
    await this._lifecycle?.on_session_destroyed(context)
  }

  override process_request(request: HTTPRequest): Record<string, unknown> {
    return this._lifecycle?.process_request(request) ?? {}
  }

  override static_path(): string | null {
    return this._static
  }

  override url_path(): string | null {
    return `/${basename(this.filename)}`
  }
}
