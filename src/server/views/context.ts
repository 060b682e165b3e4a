/**
 * What every view reads: the core's settings, resolved once when the core is built (see settings.ts),
 * plus the few values that change while the server runs.
 */
import type { HTTPRequest } from "../../util/request.ts"
import { compress_document } from "../compression.ts"
import type { HTTPResponse } from "../http.ts"
import type { ServerMetrics } from "../metrics.ts"
import type { CoreSettings } from "./settings.ts"

/** The core's resolved settings plus what changes while it runs. */
export interface ViewContext extends CoreSettings {
  /** The HTTP header limit of the listener serving us: page tokens must fit under it (changes on attach). */
  readonly header_limit: number
  /** True once a graceful drain began. */
  readonly draining: boolean
  /** What the server counts (replaced once `--metrics` is set up). */
  readonly metrics: ServerMetrics
}

export function root_url(context: ViewContext): string {
  return `${context.prefix}/`
}

/** A page or autoload.js, compressed for the request when compression is on. */
export async function compressed(context: ViewContext, request: HTTPRequest, response: HTTPResponse): Promise<HTTPResponse> {
  return context.compress ? await compress_document(response, request.headers["Accept-Encoding"]) : response
}

/** The close reason websockets get when a drain closes them: BokehJS reconnects on any close it did not ask for. */
export const DRAINING_REASON = "server is draining: reconnect"
/** What new sessions and websockets get while the server drains. */
export const DRAINING: HTTPResponse = {
  status: 503,
  headers: { "Content-Type": "text/plain; charset=UTF-8", "Retry-After": "1" },
  body: "503: Service Unavailable (the server is draining)",
}
