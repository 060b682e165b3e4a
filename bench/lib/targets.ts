/**
 * The servers a run measures, from repeated `--target` options: `self` is our bokeh-ts server in a child
 * process (bench/servers/bokeh_server.ts); anything else is the URL of a sliders-like app on another
 * server. Which scenario runs against which server is planned here (see Scenario.targets).
 */
import { BenchFailure, type Scenario } from "./types.ts"

export const SELF = "self"

export interface BenchTarget {
  /** Shown in the table's server column: "self" or the URL as given. */
  label: string
  /** undefined: our own child server. */
  url?: string
}

/** One scenario against one server (or against none, for in-process and echo scenarios). */
export interface PlannedRun {
  scenario: Scenario
  target?: BenchTarget
}

export function parse_targets(values: readonly string[]): BenchTarget[] {
  return values.map((value, i) => {
    // The same server twice (e.g. to see run-to-run noise) gets "#2", "#3", … so its rows stay apart.
    const earlier = values.slice(0, i).filter((v) => v === value).length
    const label = earlier === 0 ? value : `${value} #${earlier + 1}`
    if (value === SELF) return { label }
    if (!URL.canParse(value)) throw new BenchFailure(`--target ${JSON.stringify(value)} is neither "${SELF}" nor a URL like http://127.0.0.1:5006/sliders`)
    return { label, url: value }
  })
}

/**
 * With no targets, every scenario runs once against our child server and rows carry no server label.
 * With targets, "any" scenarios run once per target (target after target, so each has the machine to
 * itself), "self" ones only when `self` is a target; `explicit` scenarios that cannot run are an error,
 * others are skipped with a note.
 */
export function plan_runs(selected: readonly Scenario[], targets: readonly BenchTarget[], explicit: boolean): { runs: PlannedRun[]; skipped: string[] } {
  const runs: PlannedRun[] = []
  const skipped: string[] = []
  const self = targets.find((t) => t.url === undefined)
  for (const scenario of selected) {
    if (targets.length === 0 || scenario.targets === "none") runs.push({ scenario })
    else if (scenario.targets === "any") for (const target of targets) runs.push({ scenario, target })
    else if (self !== undefined) runs.push({ scenario, target: self })
    else if (explicit) throw new BenchFailure(`${scenario.name}: measures only our own server (it reads the server's metrics over IPC); add --target ${SELF}`)
    else skipped.push(`${scenario.name} (needs --target ${SELF})`)
  }
  return { runs, skipped }
}
