/**
 * The session a page or autoload.js request names (Python's `SessionHandler.get_session`): found or
 * created, with a token minted for it that carries the request's arguments and fits in its upgrade.
 */
import { TokenError } from "../../core/errors.ts"
import { log } from "../../util/logging.ts"
import { get_argument, type HTTPRequest } from "../../util/request.ts"
import { check_session_id_signature, check_token_signature, generate_jwt_token, generate_session_id, get_session_id } from "../../util/token.ts"
import type { ApplicationContext } from "../contexts.ts"
import { text, type HTTPResponse } from "../http.ts"
import { DEFAULTS } from "../options.ts"
import { check_token_fits } from "../token_fit.ts"
import { DRAINING, type ViewContext } from "./context.ts"

export interface SessionToken {
  readonly token: string
  readonly session_id: string
}

/** Finds or creates the session `request` names (docs/protocol.md §7.3), or the refusal to send instead. */
export async function get_session(context: ViewContext, app: ApplicationContext, request: HTTPRequest): Promise<SessionToken | HTTPResponse> {
  const arg_id = get_argument(request.arguments, "bokeh-session-id")
  const header_id = request.headers["Bokeh-Session-Id"]
  const arg_token = get_argument(request.arguments, "bokeh-token")
  if (arg_id !== undefined && header_id !== undefined) return text(403, "session ID was provided as an argument and header")
  let session_id = arg_id ?? header_id
  let token: string
  if (arg_token !== undefined) {
    if (session_id !== undefined) return text(403, "Both token and session ID were provided")
    try {
      session_id = get_session_id(arg_token)
    } catch {
      return text(403, "Invalid token or session ID")
    }
    token = arg_token
  } else {
    if (session_id === undefined) {
      if (context.options.generate_session_ids === false) return text(403, "No bokeh-session-id provided")
      session_id = generate_session_id(context.signing)
    }
    token = generate_jwt_token(session_id, {
      ...context.signing,
      expiration: context.options.session_token_expiration ?? DEFAULTS.session_token_expiration,
      extra_payload: { ...token_extra(context, request), ...app.application.process_request(request) },
    })
    try {
      check_token_fits(token, request, context.header_limit)
    } catch (error) {
      if (!(error instanceof TokenError)) throw error
      log.error(`Refusing to mint a session token: ${error.message}`)
      return text(431, `431: Request Header Fields Too Large [${error.code}]: ${error.message}`)
    }
  }
  if (!check_token_signature(token, context.signing) || !check_session_id_signature(session_id, context.signing))
    return text(403, "Invalid token or session ID")
  if (context.draining && app.get_session(session_id) === undefined) return DRAINING
  await app.create_session_if_needed(session_id, request, token)
  return { token, session_id }
}

/**
 * What a page token carries besides the session id: the request's arguments (the app reads them from
 * the token when a websocket creates the session), and headers and cookies only when
 * `--include-*`/`--exclude-*` ask for them: the websocket upgrade carries its own, which the session
 * uses otherwise, and putting them in the token as well (as Bokeh does) can make the upgrade too large.
 */
function token_extra(context: ViewContext, request: HTTPRequest): Record<string, unknown> {
  const o = context.options
  const extra: Record<string, unknown> = { arguments: request.arguments }
  const headers = o.include_headers != null || o.exclude_headers != null ? pick(request.headers, o.include_headers, o.exclude_headers) : null
  const cookies = o.include_cookies != null || o.exclude_cookies != null ? pick(request.cookies, o.include_cookies, o.exclude_cookies) : null
  // The Cookie header is rebuilt from `cookies` on the other side (docs/protocol.md §2.4).
  if (headers !== null && cookies !== null && Object.keys(cookies).length > 0 && "Cookie" in headers && !(o.include_headers ?? []).includes("Cookie"))
    delete headers["Cookie"]
  if (headers !== null) extra["headers"] = headers
  if (cookies !== null) extra["cookies"] = cookies
  return extra
}

function pick(
  record: Readonly<Record<string, string>>,
  include: readonly string[] | null | undefined,
  exclude: readonly string[] | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(record)) {
    if (include != null && !include.includes(k)) continue
    if (exclude != null && exclude.includes(k)) continue
    out[k] = v
  }
  return out
}
