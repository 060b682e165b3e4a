/**
 * URL helpers shared by the client and the embedding tags: Python's `quote_plus` encoding and the
 * default server URL (`BOKEH_DEFAULT_SERVER_HOST` / `BOKEH_DEFAULT_SERVER_PORT`).
 */
import { read_setting } from "../settings.ts"

/**
 * Python's `urllib.parse.quote_plus(str(value))`: UTF-8 percent-encoding of everything except
 * letters, digits and `_.-~`, with spaces as `+`. (`encodeURIComponent` also leaves `!'()*` alone,
 * which Python encodes, so those are fixed up.)
 */
export function quote_plus(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+")
}

/** `?k=v&k2=v2` appended to `url`, keys and values `quote_plus`-encoded; `url` unchanged when there are none. */
export function format_url_query_arguments(url: string, args?: Readonly<Record<string, string>> | null): string {
  if (args == null) return url
  const parts = Object.entries(args).map(([k, v]) => `${quote_plus(String(k))}=${quote_plus(String(v))}`)
  return parts.length === 0 ? url : `${url}?${parts.join("&")}`
}

/**
 * The server URL that `url: "default"` stands for: `http://localhost:5006/` unless
 * `BOKEH_DEFAULT_SERVER_HOST` / `BOKEH_DEFAULT_SERVER_PORT` say otherwise. Read at call time, so
 * tests and embedders can change the environment between calls. Note the trailing `/`, as in Python.
 */
export function default_server_http_url(): string {
  const host = read_setting("default_server_host")
  const port = read_setting("default_server_port")
  return `http://${host}:${port}/`
}
