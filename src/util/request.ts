/**
 * The transport-neutral view of an HTTP request (a page GET or a websocket upgrade) that the server
 * core works with, shaped like Tornado's `HTTPServerRequest` as Bokeh apps see it.
 *
 * Query arguments are `Record<string, Buffer[]>`: every name maps to the list of its values, in URL
 * order, as raw bytes — the TypeScript form of Python's `dict[str, list[bytes]]`. A `Buffer` is a
 * `Uint8Array`, and `args["N"][0].toString()` gives the UTF-8 text.
 */

/** Query or token arguments: name → every value as bytes. */
export type RequestArguments = Record<string, Buffer[]>

export interface HTTPRequest {
  readonly method: string
  /** Path and query, as sent (`/app?N=10`). */
  readonly uri: string
  /** The path without the query (`/app`). */
  readonly path: string
  /** The raw query string without `?`. */
  readonly query: string
  /** Header names normalized as Tornado does (`Content-Type`); repeated headers joined by `,`. */
  readonly headers: Readonly<Record<string, string>>
  readonly cookies: Readonly<Record<string, string>>
  readonly arguments: RequestArguments
  readonly remote_ip: string
  /** `http` or `https`. */
  readonly protocol: string
  /** The `Host` header (host:port). */
  readonly host: string
}

/** `content-type` → `Content-Type`, Tornado's header-name normalization. */
export function normalize_header_name(name: string): string {
  return name
    .split("-")
    .map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join("-")
}

function percent_decode_bytes(s: string): Buffer {
  // '+' is a space in form encoding; %XX are raw bytes, everything else is UTF-8 text.
  const text = s.replace(/\+/g, " ")
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === "%" && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      for (const b of Buffer.from(c, "utf8")) out.push(b)
    }
  }
  return Buffer.from(out)
}

/**
 * Parses a query string into `{name: [bytes, ...]}` like Tornado (`parse_qs_bytes` with blank
 * values kept): `&`-separated, `+` as space, percent escapes as raw bytes.
 */
export function parse_query_arguments(query: string): RequestArguments {
  const args: RequestArguments = Object.create(null) as RequestArguments
  if (query === "") return args
  for (const part of query.split("&")) {
    if (part === "") continue
    const eq = part.indexOf("=")
    const raw_name = eq < 0 ? part : part.slice(0, eq)
    const raw_value = eq < 0 ? "" : part.slice(eq + 1)
    const name = percent_decode_bytes(raw_name).toString("utf8")
    ;(args[name] ??= []).push(percent_decode_bytes(raw_value))
  }
  return args
}

/** Parses a `Cookie` header into name → value. */
export function parse_cookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {}
  if (header === undefined) return cookies
  for (const part of header.split(";")) {
    const eq = part.indexOf("=")
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    let value = part.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    if (name !== "") cookies[name] = value
  }
  return cookies
}

/** First value of an argument as text, or `undefined`. */
export function get_argument(args: RequestArguments, name: string): string | undefined {
  const values = args[name]
  return values !== undefined && values.length > 0 ? values[values.length - 1]!.toString("utf8") : undefined
}
