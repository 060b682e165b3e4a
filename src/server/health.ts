/**
 * The operations endpoints, off unless asked for: health probes (`/liveness`: the process answers;
 * `/readiness`: it accepts new sessions) and Prometheus metrics (`/metrics`). They sit under the
 * server's prefix, ahead of the apps and of authentication: probes and scrapers carry no user, so
 * keep these paths off the public side of the proxy (docs/deploy.md).
 */
import { ConfigError } from "../core/errors.ts"
import type { HTTPRequest } from "../util/request.ts"
import type { HTTPResponse } from "./http.ts"
import { DEFAULTS, type ServerOptions } from "./options.ts"
import type { PrometheusMetrics } from "./prometheus.ts"

/** What readiness depends on besides draining: the session store, when one is configured. */
export interface StoreHealth {
  healthy(): boolean
}

/** The server state the endpoints report. */
export interface HealthSource {
  readonly draining: boolean
  /** The session store, if any (set by it on the core). */
  readonly session_store?: StoreHealth | null
}

export interface Readiness {
  readonly ready: boolean
  readonly draining: boolean
  /** "none" without a session store. */
  readonly store: "ok" | "unreachable" | "none"
}

export function readiness(source: HealthSource): Readiness {
  const store = source.session_store == null ? "none" : source.session_store.healthy() ? "ok" : "unreachable"
  return { ready: !source.draining && store !== "unreachable", draining: source.draining, store }
}

export interface Endpoints {
  readonly liveness?: string
  readonly readiness?: string
  readonly metrics?: string
}

/** The endpoint paths `options` turn on (empty when none); refuses clashing or app-shadowing paths. */
export function ops_endpoints(options: ServerOptions, app_paths: readonly string[]): Endpoints {
  const out: { liveness?: string; readiness?: string; metrics?: string } = {}
  if (options.health === true || options.liveness_endpoint !== undefined || options.readiness_endpoint !== undefined) {
    out.liveness = endpoint_path(options.liveness_endpoint ?? DEFAULTS.liveness_endpoint, "liveness_endpoint")
    out.readiness = endpoint_path(options.readiness_endpoint ?? DEFAULTS.readiness_endpoint, "readiness_endpoint")
  }
  if (options.metrics === true || options.metrics_endpoint !== undefined)
    out.metrics = endpoint_path(options.metrics_endpoint ?? DEFAULTS.metrics_endpoint, "metrics_endpoint")
  const paths = Object.values(out)
  if (new Set(paths).size !== paths.length)
    throw new ConfigError("BK_ERR_OPTION", `the liveness, readiness and metrics endpoints must differ, got ${paths.join(", ")}`)
  for (const path of paths) {
    // The root app serves only its own routes (/ws, /metadata, ...); any other app owns everything under its path.
    if (app_paths.some((app) => app !== "/" && (path === app || path.startsWith(`${app}/`))))
      throw new ConfigError("BK_ERR_OPTION", `the endpoint ${path} is inside an app's path; choose another`)
  }
  return out
}

function endpoint_path(path: string, name: string): string {
  const normalized = `/${path.replace(/^\/+|\/+$/g, "")}`
  if (normalized === "/" || /[?#\s]/.test(normalized))
    throw new ConfigError("BK_ERR_OPTION", `${name} must be a path such as /metrics, got ${JSON.stringify(path)}`)
  return normalized
}

export class OpsEndpoints {
  private readonly _routes = new Map<string, () => Promise<HTTPResponse>>()

  constructor(endpoints: Endpoints, source: HealthSource, metrics: PrometheusMetrics | null) {
    if (endpoints.liveness !== undefined) this._routes.set(endpoints.liveness, async () => json_response(200, { alive: true }))
    if (endpoints.readiness !== undefined) {
      this._routes.set(endpoints.readiness, async () => {
        const r = readiness(source)
        return json_response(r.ready ? 200 : 503, r)
      })
    }
    if (endpoints.metrics !== undefined && metrics !== null) {
      this._routes.set(endpoints.metrics, async () => ({
        status: 200,
        headers: { "Content-Type": metrics.content_type, "Cache-Control": "no-store" },
        body: await metrics.exposition(),
      }))
    }
  }

  /** The response for `local` (the path under the prefix), or null when it is not an ops endpoint. */
  async handle(request: HTTPRequest, local: string): Promise<HTTPResponse | null> {
    const route = this._routes.get(local)
    if (route === undefined) return null
    if (request.method !== "GET" && request.method !== "HEAD")
      return { status: 405, headers: { "Content-Type": "text/plain; charset=UTF-8", Allow: "GET, HEAD" }, body: "405: Method Not Allowed" }
    return await route()
  }
}

function json_response(status: number, value: unknown): HTTPResponse {
  return { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" }, body: JSON.stringify(value) }
}
