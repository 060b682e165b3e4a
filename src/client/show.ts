/**
 * `show_session` (Python's `bokeh.client.session.show_session`): opens a browser on a server session.
 */

import { generate_session_id } from "../util/token.ts"
import { quote_plus } from "../util/url.ts"
import { get_browser_controller } from "./browser.ts"
import type { BrowserController, BrowserTarget } from "./browser.ts"
import type { ClientSession } from "./client_session.ts"
import { server_url_for, server_url_for_websocket_url } from "./util.ts"

export interface ShowSessionOptions {
  readonly session_id?: string | null
  /** The app's HTTP URL, or `"default"`. */
  readonly url?: string
  /** Take the session id and server URL from this session instead. */
  readonly session?: ClientSession | null
  /** A browser name (see `get_browser_controller`); default `BOKEH_BROWSER` or the OS default. */
  readonly browser?: string | null
  readonly new?: BrowserTarget
  /** Opens the URL; by default the OS opener for `browser`. */
  readonly controller?: BrowserController
}

/**
 * Opens a browser on `<server url>?bokeh-session-id=<id>`: the given session's, or `session_id` at
 * `url` (a new random id when omitted, so the browser gets a fresh session).
 */
export async function show_session(options: ShowSessionOptions = {}): Promise<void> {
  let server_url: string
  let session_id: string
  if (options.session != null) {
    server_url = server_url_for_websocket_url(options.session.url)
    session_id = options.session.id
  } else {
    server_url = server_url_for(options.url ?? "default")
    session_id = options.session_id ?? generate_session_id()
  }
  const controller = options.controller ?? get_browser_controller(options.browser)
  await controller.open(`${server_url}?bokeh-session-id=${quote_plus(session_id)}`, { new: options.new ?? "tab" })
}
