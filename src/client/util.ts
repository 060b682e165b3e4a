/**
 * URL conversions between a Bokeh server's HTTP URL and its WebSocket URL, as Python's
 * `bokeh.client.util` does them (docs/protocol.md §1.4), and the client's defaults.
 */

import { ClientError } from "../core/errors.ts"
import { default_server_http_url } from "../util/url.ts"

/** A human-readable session id for single-user setups (exported by Python, never the default). */
export const DEFAULT_SESSION_ID = "default"

/**
 * The WebSocket URL for a server (app) URL: `http:` → `ws:`, `https:` → `wss:`, then `ws` appended
 * after a trailing `/`, otherwise `/ws`. `"default"` means the default server URL
 * (`http://localhost:5006/`, see `BOKEH_DEFAULT_SERVER_HOST`/`_PORT`). Other schemes throw
 * `ClientError` BK_ERR_BAD_URL.
 */
export function websocket_url_for_server_url(url: string): string {
  if (url === "default") url = default_server_http_url()
  let ws: string
  if (url.startsWith("http:")) ws = `ws${url.slice(4)}`
  else if (url.startsWith("https:")) ws = `wss${url.slice(5)}`
  else throw new ClientError("BK_ERR_BAD_URL", `URL has unknown protocol ${url}; give the http(s) URL of the Bokeh application`)
  return ws.endsWith("/") ? `${ws}ws` : `${ws}/ws`
}

/**
 * The server URL for a WebSocket URL: `ws:` → `http:`, `wss:` → `https:`; the URL must end in
 * `/ws`, of which only `ws` is removed (the result keeps its trailing `/`). Throws `ClientError`
 * BK_ERR_BAD_URL otherwise.
 */
export function server_url_for_websocket_url(url: string): string {
  let http: string
  if (url.startsWith("ws:")) http = `http${url.slice(2)}`
  else if (url.startsWith("wss:")) http = `https${url.slice(3)}`
  else throw new ClientError("BK_ERR_BAD_URL", `URL has unknown protocol ${url}; give a ws(s) URL`)
  if (!http.endsWith("/ws")) throw new ClientError("BK_ERR_BAD_URL", `URL has non-websocket ending ${url}; a Bokeh websocket URL ends in /ws`)
  return http.slice(0, -2)
}

/** The default server's WebSocket URL (`ws://localhost:5006/ws` unless the environment says otherwise). */
export function default_server_websocket_url(): string {
  return websocket_url_for_server_url(default_server_http_url())
}

/** Resolves `"default"` to the default server URL; other URLs pass through. */
export function server_url_for(url: string): string {
  return url === "default" ? default_server_http_url() : url
}
