/** The transport-neutral HTTP response the server core produces for each route. */

export interface HTTPResponse {
  readonly status: number
  /** Header values; a list sends the header once per value (several Set-Cookie). */
  readonly headers: Record<string, string | string[]>
  readonly body: string | Uint8Array
}

export function html(body: string, status = 200): HTTPResponse {
  return { status, headers: { "Content-Type": "text/html; charset=UTF-8" }, body }
}

export function text(status: number, body: string): HTTPResponse {
  return { status, headers: { "Content-Type": "text/plain; charset=UTF-8" }, body }
}

export function json(value: unknown): HTTPResponse {
  return { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) }
}

export function redirect(location: string): HTTPResponse {
  return { status: 302, headers: { Location: location }, body: "" }
}
