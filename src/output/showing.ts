/** `show()` (Python's `bokeh.io.show`): save the object's HTML file and open it in a browser. */
import { pathToFileURL } from "node:url"

import type { HasProps } from "../core/has_props.ts"
import type { Document } from "../document/document.ts"
import { get_browser_controller, type BrowserController, type BrowserTarget } from "../client/browser.ts"
import { log } from "../util/logging.ts"
import { save } from "./saving.ts"

export interface ShowOptions {
  /** A browser name or program (default `BOKEH_BROWSER`, else the system's); "none" opens nothing. */
  readonly browser?: string | null
  /** Same window, a new window or a new tab (advisory, as in Python). */
  readonly new?: BrowserTarget
  /** Something that opens URLs instead of the system's browser. */
  readonly controller?: BrowserController
}

/**
 * Saves `obj` (to the `output_file` name, or the script's name with .html) and opens it. Resolves with
 * the file's path once the browser was launched; a browser that can't be launched is logged, the file stays.
 */
export async function show(obj: HasProps | Document, options: ShowOptions = {}): Promise<string> {
  const filename = save(obj)
  const controller = options.controller ?? get_browser_controller(options.browser)
  const url = pathToFileURL(filename).href
  try {
    await controller.open(url, { new: options.new ?? "tab" })
  } catch (error) {
    log.warning(`show(): ${error instanceof Error ? error.message : String(error)}; the page is saved at ${filename}`)
  }
  return filename
}
