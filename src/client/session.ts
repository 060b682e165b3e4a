/**
 * The client's entry points (Python's `bokeh.client.session`): `pull_session` / `push_session` make a
 * `ClientSession` (client_session.ts), a Document kept in sync with one server session, both ways, while
 * the connection is open; `show_session` (show.ts) opens a browser on one.
 *
 * ```ts
 * await using session = await pull_session({ url: "http://localhost:5006/sliders", arguments: { N: "10" } })
 * const slider = session.document!.select_one({ name: "freq" }) as Slider
 * slider.value = 2   // sent to the server; its callbacks' changes come back into session.document
 * ```
 */

import type { Document } from "../document/document.ts"
import { ClientSession } from "./client_session.ts"
import { websocket_url_for_server_url } from "./util.ts"

export { ClientSession, type ClientSessionOptions, type SessionErrorListener } from "./client_session.ts"
export { show_session, type ShowSessionOptions } from "./show.ts"

export interface PullSessionOptions {
  /** The session to pull; a new one (running the app) when omitted. */
  readonly session_id?: string | null
  /** The app's HTTP URL, or `"default"` (`http://localhost:5006/`). */
  readonly url?: string
  readonly arguments?: Readonly<Record<string, string>> | null
  readonly max_message_size?: number
  /** bokeh-ts extension: extra upgrade-request headers. */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Connects to a server session (a new one unless `session_id` names an existing one) and loads its
 * document: `session.document` then stays in sync with the server until `close()`.
 * Throws `ClientError` (see `ClientSession.check_connection_errors`, and BK_ERR_SERVER_ERROR).
 */
export async function pull_session(options: PullSessionOptions = {}): Promise<ClientSession> {
  const session = new ClientSession({
    session_id: options.session_id ?? null,
    websocket_url: websocket_url_for_server_url(options.url ?? "default"),
    arguments: options.arguments ?? null,
    max_message_size: options.max_message_size,
    headers: options.headers,
  })
  try {
    await session.pull()
  } catch (error) {
    await session.close()
    throw error
  }
  return session
}

export interface PushSessionOptions {
  readonly session_id?: string | null
  /** The app's HTTP URL, or `"default"` (`http://localhost:5006/`). */
  readonly url?: string
  readonly max_message_size?: number
  /** bokeh-ts extension: extra upgrade-request headers. */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Replaces a server session's document (a new session unless `session_id` names one) with
 * `document`, which then stays in sync with the server until `close()`.
 */
export async function push_session(document: Document, options: PushSessionOptions = {}): Promise<ClientSession> {
  const session = new ClientSession({
    session_id: options.session_id ?? null,
    websocket_url: websocket_url_for_server_url(options.url ?? "default"),
    max_message_size: options.max_message_size,
    headers: options.headers,
  })
  try {
    await session.push(document)
  } catch (error) {
    await session.close()
    throw error
  }
  return session
}
