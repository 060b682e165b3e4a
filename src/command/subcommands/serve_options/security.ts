/** What goes into session tokens, auth, XSRF and cookie signing. (part of `bokeh-ts serve`'s option table, ../serve_options.ts) */
import { flag, text, texts } from "../../option_table.ts"
import { option } from "./option.ts"

export const SECURITY_OPTIONS = {
  "include-headers": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put these request headers into session tokens (by default none go in: the websocket upgrade carries its own)",
    parse: texts,
    map: (include_headers) => ({ server: { include_headers } }),
  }),
  "exclude-headers": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put all request headers but these into session tokens",
    parse: texts,
    map: (exclude_headers) => ({ server: { exclude_headers } }),
  }),
  "include-cookies": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put these cookies into session tokens (by default none)",
    parse: texts,
    map: (include_cookies) => ({ server: { include_cookies } }),
  }),
  "exclude-cookies": option({
    arity: "list",
    metavar: "NAME ...",
    help: "put all cookies but these into session tokens",
    parse: texts,
    map: (exclude_cookies) => ({ server: { exclude_cookies } }),
  }),
  "use-xheaders": option({
    arity: "flag",
    help: "trust X-Real-Ip/X-Forwarded-For and X-Scheme/X-Forwarded-Proto",
    parse: flag,
    map: () => ({ server: { use_xheaders: true } }),
  }),
  "auth-module": option({
    arity: "one",
    metavar: "PATH",
    help: "a .ts/.js module exporting get_user (or get_user_async), login_url (or get_login_url), LoginHandler, logout_url, LogoutHandler (BOKEH_AUTH_MODULE)",
    parse: text,
    map: (auth_module) => ({ settings: { auth_module } }),
  }),
  "enable-xsrf-cookies": option({
    arity: "flag",
    help: "auth endpoints' POST/PUT/DELETE must echo the _xsrf cookie (BOKEH_XSRF_COOKIES)",
    parse: flag,
    map: () => ({ settings: { xsrf_cookies: true } }),
  }),
  "cookie-secret": option({
    arity: "one",
    metavar: "SECRET",
    help: "secret for secure cookies (BOKEH_COOKIE_SECRET)",
    parse: text,
    map: (cookie_secret) => ({ settings: { cookie_secret } }),
  }),
}
