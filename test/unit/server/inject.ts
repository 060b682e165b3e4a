/**
 * HTTP to the server core without a socket: `inject` hands an in-memory request to the production
 * `NodeAdapter.handle_request` (so the request is built by the adapter's own `http_request_from_node`,
 * login form bodies are read and capped as on the wire, unknown paths get the adapter's 404, HEAD
 * drops the body, Content-Length is set) and returns what the adapter wrote. No bytes are
 * compressed or decompressed on the way: what a test sees is what would go on the wire.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http"
import { Readable } from "node:stream"

import type { BokehServerCore } from "../../../src/server/core.ts"
import { NodeAdapter } from "../../../src/server/node/adapter.ts"

/** The Host the in-process server pretends to listen on (its default allowed websocket origin). */
export const IN_PROCESS_HOST = "localhost:5006"

export interface InjectRequest {
  readonly method?: string
  /** Path and query, e.g. `/app?N=10`. */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  /** The peer address (127.0.0.1 by default). */
  readonly remote_ip?: string
  /** As `ServerOptions.use_xheaders` (the adapter's option). */
  readonly use_xheaders?: boolean
}

export interface InjectedResponse {
  readonly status: number
  /** The headers the adapter wrote, names lower-cased as a client reads them. */
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

const adapters = new WeakMap<BokehServerCore, Map<boolean, NodeAdapter>>()

function adapter_for(core: BokehServerCore, use_xheaders: boolean): NodeAdapter {
  let by_option = adapters.get(core)
  if (by_option === undefined) adapters.set(core, (by_option = new Map()))
  let adapter = by_option.get(use_xheaders)
  if (adapter === undefined) by_option.set(use_xheaders, (adapter = new NodeAdapter(core, { use_xheaders })))
  return adapter
}

/** Sends one HTTP request through the node adapter to `core`; resolves with what the adapter wrote. */
export function inject(core: BokehServerCore, request: InjectRequest): Promise<InjectedResponse> {
  const given = request.headers ?? {}
  const headers: Record<string, string> = Object.keys(given).some((k) => k.toLowerCase() === "host") ? { ...given } : { Host: IN_PROCESS_HOST, ...given }
  // What node:http gives the adapter: raw header pairs as sent, and lower-cased names (cookies joined with "; ").
  const lower: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase()
    lower[key] = lower[key] === undefined ? value : `${lower[key]}${key === "cookie" ? "; " : ", "}${value}`
  }
  const chunks = request.body === undefined ? [] : [Buffer.from(request.body)]
  const req = Object.assign(Readable.from(chunks), {
    method: request.method ?? "GET",
    url: request.path,
    rawHeaders: Object.entries(headers).flat(),
    headers: lower,
    socket: { remoteAddress: request.remote_ip ?? "127.0.0.1", encrypted: false, setNoDelay: () => {} },
  }) as unknown as IncomingMessage
  return new Promise((resolve, reject) => {
    let head: { status: number; headers: IncomingHttpHeaders } | null = null
    const res = {
      headersSent: false,
      writeHead(status: number, written: Record<string, string | string[]>) {
        head = { status, headers: Object.fromEntries(Object.entries(written).map(([k, v]) => [k.toLowerCase(), v])) }
        res.headersSent = true
        return res
      },
      end(body?: Buffer) {
        if (head === null) reject(new Error("the adapter ended the response without a head"))
        else resolve({ ...head, body: body ?? Buffer.alloc(0) })
      },
      destroy() {
        reject(new Error("the adapter destroyed the response"))
      },
    }
    adapter_for(core, request.use_xheaders ?? false).handle_request(req, res as unknown as ServerResponse)
  })
}

/**
 * `fetch` for the in-process server: a WHATWG `Response` made from `inject`'s answer, so a test reads it
 * as it reads a real `fetch`'s. The path is normalized as `fetch` does; redirects are never followed (as
 * `redirect: "manual"`), and nothing is decompressed (no Accept-Encoding is sent unless the test sends one).
 */
export async function fetch_in_process(core: BokehServerCore, path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = {}
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value
  })
  // The bodies tests send: text, bytes, or a form (with the Content-Type fetch gives it).
  let body: string | Uint8Array | undefined
  if (typeof init.body === "string" || init.body instanceof Uint8Array) body = init.body
  else if (init.body instanceof URLSearchParams) {
    body = init.body.toString()
    headers["content-type"] ??= "application/x-www-form-urlencoded;charset=UTF-8"
  } else if (init.body !== undefined && init.body !== null) throw new Error("fetch_in_process: send the body as a string, bytes or URLSearchParams")
  // As fetch, the path is normalized (dot segments resolved, characters escaped) before it is sent; inject sends it as given.
  const url = new URL(path, `http://${IN_PROCESS_HOST}`)
  const request = { method: init.method ?? "GET", path: `${url.pathname}${url.search}`, headers }
  const res = await inject(core, body !== undefined ? { ...request, body } : request)
  const out = new Headers()
  for (const [name, value] of Object.entries(res.headers)) for (const v of Array.isArray(value) ? value : [value ?? ""]) out.append(name, v)
  const null_body = res.status === 204 || res.status === 304 || init.method === "HEAD"
  return new Response(null_body ? null : Uint8Array.from(res.body), { status: res.status, headers: out })
}
