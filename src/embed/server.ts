/**
 * `<script>` tags that embed a Bokeh server app (`server_document`) or one existing session
 * (`server_session`) in another page (docs/protocol.md §8.3). The tag fetches
 * `<url>/autoload.js?bokeh-autoload-element=<id>[&bokeh-app-path=<path>][&bokeh-absolute-url=<url>][&resources=none][&k=v...]`
 * with an XHR and runs the returned script, which loads BokehJS and renders into the tag's place.
 * (The app page, Python's `server_html_page_for_session`, is in ./server_page.ts.)
 */

import { randomUUID } from "node:crypto"

import { ClientError, ConfigError, TokenError } from "../core/errors.ts"
import { default_server_http_url, quote_plus } from "../util/url.ts"
import { autoload_request_tag } from "./autoload_request_tag.ts"

/** `"default"` loads BokehJS from the server; `null` loads nothing (the page provides BokehJS). */
export type EmbedResources = "default" | null

export interface ServerDocumentOptions {
  /** Leave out `bokeh-absolute-url`, so resource links are relative (behind some reverse proxies). */
  readonly relative_urls?: boolean
  readonly resources?: EmbedResources
  /** Request arguments for the app; keys starting with `bokeh-` are dropped. */
  readonly arguments?: Readonly<Record<string, string>> | null
  /** Headers for the autoload request (they reach the app's `request.headers`). */
  readonly headers?: Readonly<Record<string, string>> | null
  /** Send cookies with a cross-origin autoload request; exclusive with `headers`. */
  readonly with_credentials?: boolean
}

/**
 * A script tag that embeds a new session of the app at `url` (an http(s) app URL, or `"default"`).
 * Each page load that runs it gets its own session.
 */
export function server_document(url = "default", options: ServerDocumentOptions = {}): string {
  const headers = options.headers ?? {}
  const with_credentials = options.with_credentials ?? false
  check_credentials(headers, with_credentials)
  const base = clean_url(url)
  const elementid = css_safe_id()
  const src_path =
    autoload_src(base, elementid, options.relative_urls ?? false, options.resources === undefined ? "default" : options.resources) +
    process_arguments(options.arguments)
  return autoload_request_tag({ src_path, elementid, headers, with_credentials })
}

export interface ServerSessionOptions {
  /** The existing session to embed (for example one made with `pull_session` or `push_session`). */
  readonly session_id: string
  /** The app's http(s) URL, or `"default"`. */
  readonly url?: string
  readonly relative_urls?: boolean
  readonly resources?: EmbedResources
  /** Extra headers for the autoload request; `Bokeh-Session-Id` is always added. */
  readonly headers?: Readonly<Record<string, string>> | null
  readonly with_credentials?: boolean
}

/**
 * A script tag that embeds the existing session `session_id` (the whole document): the autoload
 * request carries the `Bokeh-Session-Id` header, so the server serves that session instead of
 * creating one. Don't reuse one session id for many page views: they would all share one document.
 */
export function server_session(options: ServerSessionOptions): string {
  if (typeof options.session_id !== "string" || options.session_id === "") throw new TokenError("BK_ERR_NO_SESSION_ID", "server_session() needs a session_id")
  const with_credentials = options.with_credentials ?? false
  check_credentials(options.headers ?? {}, with_credentials)
  const base = clean_url(options.url ?? "default")
  const elementid = css_safe_id()
  const src_path = autoload_src(base, elementid, options.relative_urls ?? false, options.resources === undefined ? "default" : options.resources)
  const headers = { ...options.headers, "Bokeh-Session-Id": options.session_id }
  return autoload_request_tag({ src_path, elementid, headers, with_credentials })
}

function check_credentials(headers: Readonly<Record<string, string>>, with_credentials: boolean): void {
  if (with_credentials && Object.keys(headers).length > 0)
    throw new ConfigError("BK_ERR_OPTION", "headers and with_credentials are mutually exclusive: send credentials as cookies, or pass headers")
}

// The app URL without trailing slashes; "default" is the default server.
function clean_url(url: string): string {
  if (url === "default") url = default_server_http_url()
  if (url.startsWith("ws")) throw new ClientError("BK_ERR_BAD_URL", "url should be the http or https URL for the server, not the websocket URL")
  return url.replace(/\/+$/, "")
}

function app_path_of(url: string): string {
  let path: string
  try {
    path = new URL(url).pathname
  } catch {
    // A relative URL ("/myapp"): its path is the URL up to any query or fragment.
    path = url.replace(/[?#].*$/, "")
  }
  path = path.replace(/\/+$/, "")
  return path.startsWith("/") ? path : `/${path}`
}

function autoload_src(url: string, elementid: string, relative_urls: boolean, resources: EmbedResources): string {
  if (resources !== "default" && resources !== null)
    throw new ConfigError("BK_ERR_OPTION", `resources must be "default" or null, got ${JSON.stringify(resources)}`)
  const app_path = app_path_of(url)
  let src = `${url}/autoload.js?bokeh-autoload-element=${elementid}`
  if (app_path !== "/") src += `&bokeh-app-path=${app_path}`
  // Inserted without URL-encoding, as Bokeh does.
  if (!relative_urls) src += `&bokeh-absolute-url=${url}`
  if (resources === null) src += "&resources=none"
  return src
}

function process_arguments(args: Readonly<Record<string, string>> | null | undefined): string {
  let out = ""
  for (const [key, value] of Object.entries(args ?? {})) {
    if (!key.startsWith("bokeh-")) out += `&${quote_plus(String(key))}=${quote_plus(String(value))}`
  }
  return out
}

// A UUID whose first character is a letter, so it is a valid CSS identifier for `#id` selectors.
function css_safe_id(): string {
  const id = randomUUID()
  return /^[0-9]/.test(id) ? `bk-${id}` : id
}
