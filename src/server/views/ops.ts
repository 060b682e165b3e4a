/** The liveness, readiness and metrics endpoints the options ask for. */
import { OpsEndpoints, type Endpoints, type HealthSource } from "../health.ts"
import type { MetricsSource, PrometheusMetrics } from "../prometheus.ts"

export interface Ops {
  readonly endpoints: OpsEndpoints
  /** The Prometheus metrics when `--metrics` asked for them. */
  readonly metrics: PrometheusMetrics | null
}

/** Null when no endpoint is asked for; prom-client is loaded only when metrics are. */
export async function start_ops(endpoints: Endpoints, source: MetricsSource & HealthSource): Promise<Ops | null> {
  if (Object.keys(endpoints).length === 0) return null
  const metrics = endpoints.metrics === undefined ? null : new (await import("../prometheus.ts")).PrometheusMetrics(source)
  return { endpoints: new OpsEndpoints(endpoints, source, metrics), metrics }
}
