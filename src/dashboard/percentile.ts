import { DURATION_BUCKETS } from "../metrics/histogram.ts";

/**
 * The q-quantile (0..1) of a non-cumulative duration histogram, in
 * milliseconds, interpolated linearly inside its bucket as Prometheus's
 * `histogram_quantile` does; 0 for an empty histogram. Observations above the
 * last bound report the last bound (the histogram knows no more).
 */
export function histogramQuantile(counts: readonly number[], q: number): number {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return 0;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i]!;
    if (below + inBucket >= rank && inBucket > 0) {
      if (i >= DURATION_BUCKETS.length) return DURATION_BUCKETS[DURATION_BUCKETS.length - 1]! * 1000;
      const lower = i === 0 ? 0 : DURATION_BUCKETS[i - 1]!;
      const upper = DURATION_BUCKETS[i]!;
      return (lower + (upper - lower) * ((rank - below) / inBucket)) * 1000;
    }
    below += inBucket;
  }
  return DURATION_BUCKETS[DURATION_BUCKETS.length - 1]! * 1000;
}

/** Bucket by bucket, `now - before` (both non-cumulative counts of one histogram). */
export function subtractCounts(now: readonly number[], before: readonly number[]): number[] {
  return now.map((n, i) => Math.max(0, n - (before[i] ?? 0)));
}
