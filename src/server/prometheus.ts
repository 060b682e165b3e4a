/**
 * `ServerMetrics` in Prometheus text format (prom-client). Each server core has its own registry
 * (sessions, connections, messages, store writes); what belongs to the process (event-loop lag, heap,
 * CPU, callback durations) is in one registry shared by every core in the process, and `/metrics`
 * serves both.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client"

import { set_callback_observer, type CallbackKind } from "../core/callback_timing.ts"
import type { ServerMetrics } from "./metrics.ts"

/** What the metrics read from the server when scraped. */
export interface MetricsSource {
  readonly open_sessions: number
  readonly open_connections: number
  readonly ready: boolean
  readonly draining: boolean
}

/** Seconds: from a fast callback or build (1 ms) to a very slow one (30 s). */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
/** Seconds for a store write: loopback Redis answers well under a millisecond. */
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

let process_registry: Registry | null = null

/** The process-wide registry, made (and the callback observer installed) the first time a core wants metrics. */
function process_metrics(): Registry {
  if (process_registry !== null) return process_registry
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const callbacks = new Histogram({
    name: "bokeh_callback_duration_seconds",
    help: "How long app callbacks ran (async ones until they settled), by kind: periodic, timeout, next_tick, on_change, event",
    labelNames: ["kind"],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  })
  const children = new Map<CallbackKind, Histogram.Internal<"kind">>()
  set_callback_observer((kind, seconds) => {
    let child = children.get(kind)
    if (child === undefined) children.set(kind, (child = callbacks.labels(kind)))
    child.observe(seconds)
  })
  process_registry = registry
  return registry
}

/** Counts by message type, kept as plain numbers and handed to Prometheus only when scraped. */
class PerType {
  readonly counts = new Map<string, number>()
  readonly bytes = new Map<string, number>()

  add(msgtype: string, bytes: number): void {
    this.counts.set(msgtype, (this.counts.get(msgtype) ?? 0) + 1)
    this.bytes.set(msgtype, (this.bytes.get(msgtype) ?? 0) + bytes)
  }
}

export class PrometheusMetrics implements ServerMetrics {
  readonly registry = new Registry()
  private readonly _received = new PerType()
  private readonly _sent = new PerType()
  private readonly _created: Counter
  private readonly _expired: Counter
  private readonly _resumed: Counter
  private readonly _build: Histogram
  private readonly _connections: Counter
  private readonly _store_write: Histogram
  private readonly _store_bytes: Counter
  private readonly _store_failures: Counter

  constructor(source: MetricsSource) {
    const registers = [this.registry]
    new Gauge({
      name: "bokeh_sessions_open",
      help: "Sessions this process holds",
      registers,
      collect() {
        this.set(source.open_sessions)
      },
    })
    this._created = new Counter({ name: "bokeh_sessions_created_total", help: "Sessions created (the app built a document)", registers })
    this._expired = new Counter({ name: "bokeh_sessions_expired_total", help: "Sessions discarded after the unused-session lifetime", registers })
    this._resumed = new Counter({ name: "bokeh_sessions_resumed_total", help: "Sessions rebuilt from the session store", registers })
    this._build = new Histogram({
      name: "bokeh_session_build_seconds",
      help: "How long the app took to build a session's document",
      buckets: DURATION_BUCKETS,
      registers,
    })
    new Gauge({
      name: "bokeh_connections_open",
      help: "Websockets bound to a session",
      registers,
      collect() {
        this.set(source.open_connections)
      },
    })
    this._connections = new Counter({ name: "bokeh_connections_opened_total", help: "Websockets bound to a session since start", registers })
    const per_type = (name: string, help: string, of: PerType, which: "counts" | "bytes") =>
      new Counter({
        name,
        help,
        labelNames: ["msgtype"],
        registers,
        collect() {
          this.reset()
          for (const [msgtype, n] of of[which]) this.inc({ msgtype }, n)
        },
      })
    per_type("bokeh_messages_received_total", "Protocol messages received, by type", this._received, "counts")
    per_type("bokeh_messages_sent_total", "Protocol messages sent, by type", this._sent, "counts")
    per_type("bokeh_received_bytes_total", "Bytes of protocol messages received (all frames), by type", this._received, "bytes")
    per_type("bokeh_sent_bytes_total", "Bytes of protocol messages sent (all frames), by type", this._sent, "bytes")
    this._store_write = new Histogram({
      name: "bokeh_store_write_seconds",
      help: "How long writing a session's state to the session store took",
      buckets: STORE_BUCKETS,
      registers,
    })
    this._store_bytes = new Counter({
      name: "bokeh_store_written_bytes_total",
      help: "Bytes of session state written to the session store (divide by the write count for bytes per session)",
      registers,
    })
    this._store_failures = new Counter({ name: "bokeh_store_write_failures_total", help: "Failed writes to the session store", registers })
    new Gauge({
      name: "bokeh_ready",
      help: "1 while the server accepts new sessions (readiness), else 0",
      registers,
      collect() {
        this.set(source.ready ? 1 : 0)
      },
    })
    new Gauge({
      name: "bokeh_draining",
      help: "1 once a graceful drain has begun",
      registers,
      collect() {
        this.set(source.draining ? 1 : 0)
      },
    })
    process_metrics()
  }

  /** The content type of `exposition()`: Prometheus text format 0.0.4. */
  get content_type(): string {
    return this.registry.contentType
  }

  /** This server's metrics followed by the process's. */
  async exposition(): Promise<string> {
    return (await this.registry.metrics()) + (await process_metrics().metrics())
  }

  session_created(build_seconds: number): void {
    this._created.inc()
    this._build.observe(build_seconds)
  }

  session_expired(): void {
    this._expired.inc()
  }

  session_resumed(): void {
    this._resumed.inc()
  }

  connection_opened(): void {
    this._connections.inc()
  }

  message_received(msgtype: string, bytes: number): void {
    this._received.add(msgtype, bytes)
  }

  message_sent(msgtype: string, bytes: number): void {
    this._sent.add(msgtype, bytes)
  }

  store_write(seconds: number, bytes: number): void {
    this._store_write.observe(seconds)
    this._store_bytes.inc(bytes)
  }

  store_write_failed(): void {
    this._store_failures.inc()
  }
}
