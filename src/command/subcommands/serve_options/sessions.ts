/** Sessions: keep-alive, expiry, ids, tokens and the session store. (part of `bokeh-ts serve`'s option table, ../serve_options.ts) */
import { choice, integer, text } from "../../option_table.ts"
import { option, SESSION_ID_MODES } from "./option.ts"

export const SESSION_OPTIONS = {
  "keep-alive": option({
    arity: "one",
    metavar: "MS",
    help: "websocket keep-alive ping interval (default 37000, 0 = off); a client that has not answered a ping when the next is due is closed (code 4000) and BokehJS reconnects",
    parse: integer(0),
    map: (ms) => ({ server: { keep_alive_milliseconds: ms } }),
  }),
  "check-unused-sessions": option({
    arity: "one",
    metavar: "MS",
    help: "how often to look for unused sessions (default 17000)",
    parse: integer(1),
    map: (ms) => ({ server: { check_unused_sessions_milliseconds: ms } }),
  }),
  "unused-session-lifetime": option({
    arity: "one",
    metavar: "MS",
    help: "how long a session lives without connections (default 15000)",
    parse: integer(1),
    map: (ms) => ({ server: { unused_session_lifetime_milliseconds: ms } }),
  }),
  "session-ids": option({
    arity: "one",
    metavar: "MODE",
    help: 'unsigned | signed | external-signed (default: BOKEH_SIGN_SESSIONS); signed modes need BOKEH_SECRET_KEY (see "bokeh-ts secret")',
    parse: choice(SESSION_ID_MODES),
    map: (mode) => ({ settings: { sign_sessions: mode !== "unsigned" }, server: mode === "external-signed" ? { generate_session_ids: false } : {} }),
  }),
  "session-token-expiration": option({
    arity: "one",
    metavar: "S",
    help: "lifetime of session tokens in seconds (default 300)",
    parse: integer(1),
    map: (s) => ({ server: { session_token_expiration: s } }),
  }),
  "session-store": option({
    arity: "one",
    metavar: "URL",
    help: "share sessions through Redis (redis://host:port/db): each session's state is written there, and a session that arrives at another server resumes there (docs/sessions.md; not in Python)",
    parse: text,
    map: (session_store) => ({ server: { session_store } }),
  }),
  "session-store-max-bytes": option({
    arity: "one",
    metavar: "B",
    help: "largest session state written to the store (default 67108864)",
    parse: integer(1),
    map: (b) => ({ server: { session_store_max_bytes: b } }),
  }),
}
