/**
 * Opening a URL in the user's browser with the OS opener (`xdg-open`, `open`, `start`) or the
 * program `BOKEH_BROWSER` names, the way Python's `webbrowser`-based controller is used by
 * `show_session` and `bokeh serve --show`. The one opener for the client and the server. Injectable,
 * so tests and embedders can record or redirect what would be opened.
 */

import { spawn } from "node:child_process"

import { ClientError } from "../core/errors.ts"
import { read_setting } from "../settings.ts"

/** Where to open: the same window, a new window, or a new tab (Python's `new` argument). */
export type BrowserTarget = "same" | "window" | "tab"

/** Something that can open URLs (Python's `BrowserLike`). */
export interface BrowserController {
  open(url: string, options: { readonly new: BrowserTarget }): void | Promise<void>
}

/**
 * The controller for `browser` (default: `BOKEH_BROWSER`, else the OS default browser).
 * `"none"` opens nothing. Other names are a program to run (`firefox`), or on macOS an application
 * name for `open -a`. OS openers can't choose between tab and window, so `new` is advisory.
 */
export function get_browser_controller(browser?: string | null): BrowserController {
  const name = browser ?? read_setting("browser")
  if (name === "none") return { open() {} }
  return { open: (url) => launch(command_for(url, name)) }
}

function command_for(url: string, browser: string | null): [string, string[]] {
  switch (process.platform) {
    case "darwin":
      return browser === null ? ["open", [url]] : ["open", ["-a", browser, url]]
    case "win32":
      // `start` is a cmd builtin; its first quoted argument is a window title, hence the "".
      // Arguments are passed as a list (no shell), so nothing in the URL is interpreted; an empty
      // argument reaches cmd as "" (libuv quotes it).
      return browser === null ? ["cmd", ["/c", "start", "", url]] : ["cmd", ["/c", "start", "", browser, url]]
    default:
      return browser === null ? ["xdg-open", [url]] : [browser, [url]]
  }
}

function launch([command, args]: [string, string[]]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: "ignore" })
    child.once("error", (error) =>
      reject(
        new ClientError("BK_ERR_BROWSER", `can't open a browser with '${command}': ${error.message}; set BOKEH_BROWSER or pass browser`, { cause: error }),
      ),
    )
    child.once("spawn", () => {
      child.unref()
      resolve()
    })
  })
}
