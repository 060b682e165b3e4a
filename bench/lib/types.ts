/** Shared types of the benchmark runner and its scenarios. */

/** One measured figure: a row of the results table. */
export interface Row {
  scenario: string
  /** The server measured, when the run names targets (`self` or the --target URL). */
  server?: string
  metric: string
  value: number
  unit: string
  /** Human-readable target, e.g. "< 100 ms". */
  target?: string
  /** Whether the target is met (undefined when there is no target). */
  pass?: boolean
  /** How far from the target, e.g. "1.8× over". */
  miss?: string
  /** The comparable echo-ceiling figure's ratio, e.g. "2.1× echo p50". */
  vs_ceiling?: string
}

export interface ScenarioContext {
  /** External server URL (`http://host:port/sliders`) for the "any" scenarios; undefined: our child server. */
  target?: string
  /** Overrides the scenario's concurrency levels with one. */
  concurrency?: number
  /** Seconds per load phase. */
  seconds: number
  /** Rows measured so far in this run (the ceiling's, for ratios). */
  results: readonly Row[]
}

export interface Scenario {
  name: string
  description: string
  /**
   * Which servers it can measure: "none" (in-process or its own echo server: runs once), "self" (needs
   * our child server's IPC metrics: runs once, only when `self` is a target), "any" (once per target).
   */
  targets: "none" | "self" | "any"
  run(ctx: ScenarioContext): Promise<Row[]>
}

/** A benchmark run that must fail: the server answered wrongly or not at all. */
export class BenchFailure extends Error {
  override name = "BenchFailure"
}

/** Target check for "lower is better". */
export function below(row: Omit<Row, "target" | "pass" | "miss">, limit: number, target: string): Row {
  const pass = row.value < limit
  return { ...row, target, pass, ...(pass ? {} : { miss: `${(row.value / limit).toFixed(2)}× over` }) }
}

/** Target check for "higher is better". */
export function above(row: Omit<Row, "target" | "pass" | "miss">, limit: number, target: string): Row {
  const pass = row.value >= limit
  return { ...row, target, pass, ...(pass ? {} : { miss: `${(limit / row.value).toFixed(2)}× short` }) }
}

/** A row's value by scenario and metric, if measured. */
export function find_value(rows: readonly Row[], scenario: string, metric: string): number | undefined {
  return rows.find((r) => r.scenario === scenario && r.metric === metric)?.value
}
