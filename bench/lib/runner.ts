/** Runs planned scenario runs in order, labelling each row with the server it measured. */
import type { PlannedRun } from "./targets.ts"
import { BenchFailure, type Row } from "./types.ts"

export interface RunOptions {
  concurrency?: number
  seconds: number
  /** Called before each run, e.g. to print progress. */
  on_start?: (run: PlannedRun) => void
}

/** What a run measures, for progress output: "stream against self". */
export function describe_run(run: PlannedRun): string {
  return run.target === undefined ? run.scenario.name : `${run.scenario.name} against ${run.target.label}`
}

/** Rows of every run, in order; the first failure stops the run with a BenchFailure naming scenario and server. */
export async function run_planned(runs: readonly PlannedRun[], options: RunOptions): Promise<Row[]> {
  const rows: Row[] = []
  for (const run of runs) {
    options.on_start?.(run)
    let measured: Row[]
    try {
      measured = await run.scenario.run({ target: run.target?.url, concurrency: options.concurrency, seconds: options.seconds, results: rows })
    } catch (error) {
      // Scenario failures already start with the scenario's name; say which server it was against.
      const message = error instanceof BenchFailure ? error.message : `${run.scenario.name}: ${(error as Error).stack ?? String(error)}`
      throw new BenchFailure(run.target === undefined ? message : `[${run.target.label}] ${message}`)
    }
    for (const row of measured) rows.push(run.target !== undefined ? { ...row, server: run.target.label } : row)
  }
  return rows
}
