/** Where and how the server listens, and which origins may open websockets. (part of `bokeh-ts serve`'s option table, ../serve_options.ts) */
import { integer, text, texts } from "../../option_table.ts"
import { option } from "./option.ts"

export const NETWORK_OPTIONS = {
  port: option({
    arity: "one",
    metavar: "PORT",
    help: "port to listen on (default 5006; 0 picks a free port)",
    parse: integer(0),
    map: (port) => ({ server: { port } }),
  }),
  address: option({
    arity: "one",
    metavar: "ADDRESS",
    help: "address to listen on (default: all interfaces)",
    parse: text,
    map: (address) => ({ server: { address } }),
  }),
  "unix-socket": option({
    arity: "one",
    metavar: "PATH",
    help: "listen on a unix domain socket instead (not with --port, --address or SSL; put a TLS proxy in front)",
    parse: text,
    map: (unix_socket) => ({ server: { unix_socket } }),
  }),
  "ssl-certfile": option({
    arity: "one",
    metavar: "CERTFILE",
    help: "PEM certificate: serve https/wss (BOKEH_SSL_CERTFILE)",
    parse: text,
    map: (ssl_certfile) => ({ settings: { ssl_certfile } }),
  }),
  "ssl-keyfile": option({
    arity: "one",
    metavar: "KEYFILE",
    help: "PEM private key (BOKEH_SSL_KEYFILE; default: in CERTFILE); BOKEH_SSL_PASSWORD unlocks an encrypted key",
    parse: text,
    map: (ssl_keyfile) => ({ settings: { ssl_keyfile } }),
  }),
  "num-procs": option({
    arity: "one",
    metavar: "N",
    help: "worker processes sharing the port (default 1; 0 = one per core); a session lives in the worker that created it (with --session-store it moves to another when needed)",
    parse: integer(0),
  }),
  "allow-websocket-origin": option({
    arity: "repeat",
    metavar: "HOST[:PORT]",
    help: 'allowed websocket origin (repeatable; default localhost:<port>; exact host; "*" stands for one whole label or any port, "*" alone allows all). BOKEH_ALLOW_WS_ORIGIN overrides',
    parse: texts,
    map: (allow_websocket_origin) => ({ server: { allow_websocket_origin } }),
  }),
  prefix: option({
    arity: "one",
    metavar: "PREFIX",
    help: "URL prefix for every route (except /favicon.ico)",
    parse: text,
    map: (prefix) => ({ server: { prefix } }),
  }),
}
