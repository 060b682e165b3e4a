/** Logging, config file, periodic stats, health and metrics endpoints, graceful drain. (part of `bokeh-ts serve`'s option table, ../serve_options.ts) */
import { log_levels } from "../../../util/logging.ts"
import { choice, flag, integer, text } from "../../option_table.ts"
import { option } from "./option.ts"

export const OPERATION_OPTIONS = {
  "log-level": option({ arity: "one", metavar: "LEVEL", help: `${log_levels.join("|")} (default info)`, parse: choice(log_levels) }),
  "log-format": option({ arity: "one", metavar: "FORMAT", help: 'Python logging format (default "%(asctime)s %(message)s")', parse: text }),
  "log-file": option({ arity: "one", metavar: "FILE", help: "append log lines to FILE instead of stderr", parse: text }),
  "use-config": option({
    arity: "one",
    metavar: "FILE",
    help: "a YAML file of Bokeh settings (secret_key, sign_sessions, allowed_ws_origin, ...); options win over it, it wins over the environment (as in Python)",
    parse: text,
  }),
  "stats-log-frequency": option({
    arity: "one",
    metavar: "MS",
    help: "how often to log connection/session counts at debug level (default 15000, 0 = off)",
    parse: integer(0),
    map: (ms) => ({ server: { stats_log_frequency_milliseconds: ms } }),
  }),
  "mem-log-frequency": option({
    arity: "one",
    metavar: "MS",
    help: "how often to log memory use (default 0 = off)",
    parse: integer(0),
    map: (ms) => ({ server: { mem_log_frequency_milliseconds: ms } }),
  }),
  health: option({
    arity: "flag",
    help: "serve health probes: GET /liveness (200 while the process answers) and GET /readiness (200 while it accepts new sessions; 503 while draining or while the session store is unreachable); under --prefix, without authentication",
    parse: flag,
    map: () => ({ server: { health: true } }),
  }),
  "liveness-endpoint": option({
    arity: "one",
    metavar: "PATH",
    help: "path of the liveness probe (default /liveness; implies --health)",
    parse: text,
    map: (liveness_endpoint) => ({ server: { liveness_endpoint } }),
  }),
  "readiness-endpoint": option({
    arity: "one",
    metavar: "PATH",
    help: "path of the readiness probe (default /readiness; implies --health)",
    parse: text,
    map: (readiness_endpoint) => ({ server: { readiness_endpoint } }),
  }),
  metrics: option({
    arity: "flag",
    help: "serve Prometheus metrics at GET /metrics (under --prefix, without authentication): sessions, connections, messages and bytes by type, callback durations, event-loop lag, store writes",
    parse: flag,
    map: () => ({ server: { metrics: true } }),
  }),
  "metrics-endpoint": option({
    arity: "one",
    metavar: "PATH",
    help: "path of the metrics (default /metrics; implies --metrics)",
    parse: text,
    map: (metrics_endpoint) => ({ server: { metrics_endpoint } }),
  }),
  "drain-timeout": option({
    arity: "one",
    metavar: "MS",
    help: "on SIGTERM/SIGINT, drain gracefully: refuse new sessions (503), flush pending updates, save sessions to the session store, close websockets with 1001 so clients reconnect elsewhere; stop after at most MS (default 20000). A second SIGINT stops at once",
    parse: integer(0),
    map: (ms) => ({ server: { drain_timeout_milliseconds: ms } }),
  }),
}
