/** Small statistics helpers for the benchmarks: percentiles over latency samples. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export interface LatencySummary {
  count: number
  p50: number
  p99: number
  mean: number
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean }
}

/** Milliseconds since an arbitrary origin, sub-millisecond precision. */
export function now_ms(): number {
  return Number(process.hrtime.bigint()) / 1e6
}

/**
 * Runs `concurrency` workers, each calling `op` in a loop until `seconds` have passed.
 * Returns every op's latency (ms) and the wall time (s). An op's failure stops all workers and rejects.
 */
export async function load(concurrency: number, seconds: number, op: (worker: number) => Promise<void>): Promise<{ latencies: number[]; elapsed_s: number }> {
  const latencies: number[] = []
  const start = now_ms()
  const deadline = start + seconds * 1000
  let failed = false
  const worker = async (w: number): Promise<void> => {
    while (!failed && now_ms() < deadline) {
      const t0 = now_ms()
      try {
        await op(w)
      } catch (error) {
        failed = true
        throw error
      }
      latencies.push(now_ms() - t0)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  return { latencies, elapsed_s: (now_ms() - start) / 1000 }
}
