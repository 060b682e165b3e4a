/** Builds the neutral `HTTPRequest` from a `node:http` request. */
import type { IncomingMessage } from "node:http"
import type { TLSSocket } from "node:tls"

import { normalize_header_name, parse_cookies, parse_query_arguments, type HTTPRequest } from "../../util/request.ts"

/** `use_xheaders` trusts X-Real-Ip / X-Forwarded-For and X-Scheme / X-Forwarded-Proto, as Tornado does. */
export function http_request_from_node(req: IncomingMessage, use_xheaders = false): HTTPRequest {
  const uri = req.url ?? "/"
  const q = uri.indexOf("?")
  const path = q < 0 ? uri : uri.slice(0, q)
  const query = q < 0 ? "" : uri.slice(q + 1)
  const headers: Record<string, string> = {}
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = normalize_header_name(raw[i]!)
    headers[name] = headers[name] === undefined ? raw[i + 1]! : `${headers[name]},${raw[i + 1]!}`
  }
  let remote_ip = req.socket.remoteAddress ?? ""
  let protocol = (req.socket as TLSSocket).encrypted === true ? "https" : "http"
  if (use_xheaders) {
    const forwarded = headers["X-Real-Ip"] ?? headers["X-Forwarded-For"]?.split(",").at(-1)?.trim()
    if (forwarded !== undefined && forwarded !== "") remote_ip = forwarded
    const scheme = headers["X-Scheme"] ?? headers["X-Forwarded-Proto"]?.split(",").at(-1)?.trim()
    if (scheme === "http" || scheme === "https") protocol = scheme
  }
  return {
    method: req.method ?? "GET",
    uri,
    path,
    query,
    headers,
    cookies: parse_cookies(req.headers.cookie),
    arguments: parse_query_arguments(query),
    remote_ip,
    protocol,
    host: headers["Host"] ?? "",
  }
}
