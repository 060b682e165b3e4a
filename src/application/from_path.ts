/**
 * Applications from paths on disk (a script, a notebook or an app directory), as `bokeh serve` and
 * AppTest build them. Python keeps these in bokeh.command.util, which re-exports them here.
 */
import { existsSync, statSync } from "node:fs"
import { basename, extname } from "node:path"

import { CliError, ConfigError } from "../core/errors.ts"
import { Application } from "./application.ts"
import { DirectoryHandler } from "./handlers/directory.ts"
import { NotebookHandler } from "./handlers/notebook.ts"
import { ScriptHandler } from "./handlers/script.ts"

const SCRIPT_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"]

/** An Application for a script, notebook or directory path, and the app path it is served at. */
export function build_single_handler_application(path: string, argv: readonly string[] = []): { route: string; application: Application } {
  if (!existsSync(path)) throw new ConfigError("BK_ERR_APP_LOAD", `path for Bokeh server application does not exist: ${path}`)
  if (statSync(path).isDirectory()) {
    const handler = new DirectoryHandler({ filename: path, argv })
    return { route: handler.url_path()!, application: new Application(handler) }
  }
  const ext = extname(path).toLowerCase()
  if (ext === ".ipynb") {
    const handler = new NotebookHandler({ filename: path, argv })
    return { route: handler.url_path()!, application: new Application(handler) }
  }
  if (SCRIPT_EXTENSIONS.includes(ext)) {
    const handler = new ScriptHandler({ filename: path, argv })
    return { route: handler.url_path()!, application: new Application(handler) }
  }
  throw new ConfigError("BK_ERR_APP_LOAD", `expected a .ts/.js script, an .ipynb notebook or an app directory, got ${basename(path)}`)
}

/** Applications for several paths, keyed by route; two apps on one route is an error. */
export function build_single_handler_applications(paths: readonly string[], argv: readonly string[] = []): Record<string, Application> {
  const apps: Record<string, Application> = {}
  for (const path of paths) {
    const { route, application } = build_single_handler_application(path, argv)
    if (route in apps) throw new CliError("BK_ERR_CLI", `two applications would be served at ${route}: rename one of them`)
    apps[route] = application
  }
  return apps
}

/**
 * Loads every app (compiling its scripts and the local modules they import, importing its lifecycle
 * module) and throws the first failure, so `serve` refuses to start as Python's `bokeh serve` does
 * instead of serving a blank page: a syntax error reads `file:line:col: message`.
 */
export async function check_applications(apps: Record<string, Application>): Promise<void> {
  for (const application of Object.values(apps)) {
    await application.ready()
    const failed = application.handlers.find((h) => h.failed)
    if (failed !== undefined)
      throw new ConfigError("BK_ERR_APP_LOAD", `${failed.error ?? "an app failed to load"}${failed.error_detail !== null ? `\n${failed.error_detail}` : ""}`)
  }
}
