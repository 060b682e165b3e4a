/** The methods each route serves, as Bokeh's Tornado handler for it defines them. */
import type { HTTPRequest } from "../../util/request.ts"
import type { HTTPResponse } from "../http.ts"

export const GET: readonly string[] = ["GET"]
export const GET_HEAD: readonly string[] = ["GET", "HEAD"]
export const GET_OPTIONS: readonly string[] = ["GET", "OPTIONS"]

/** Null if the route serves `request.method`, else Tornado's 405 (with the Allow header HTTP asks for). */
export function allow(request: HTTPRequest, methods: readonly string[]): HTTPResponse | null {
  if (methods.includes(request.method)) return null
  return { status: 405, headers: { "Content-Type": "text/plain; charset=UTF-8", Allow: methods.join(", ") }, body: "405: Method Not Allowed" }
}
