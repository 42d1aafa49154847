/**
 * A cumulative histogram with fixed bucket bounds (seconds), shaped for the
 * Prometheus text format. Snapshots are plain JSON so workers can send them to
 * the supervisor, which adds them up.
 */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface HistogramSnapshot {
  /** counts[i] = observations <= DURATION_BUCKETS[i]; the last entry counts everything (+Inf). */
  counts: number[];
  sum: number;
  count: number;
}

export function emptyHistogram(): HistogramSnapshot {
  return { counts: new Array(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
}

/** Records one observation (seconds). Buckets are kept non-cumulative; see cumulative(). */
export function observe(histogram: HistogramSnapshot, seconds: number): void {
  let i = 0;
  while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++;
  histogram.counts[i]!++;
  histogram.sum += seconds;
  histogram.count++;
}

export function mergeHistograms(into: HistogramSnapshot, from: HistogramSnapshot): void {
  for (let i = 0; i < into.counts.length; i++) into.counts[i]! += from.counts[i] ?? 0;
  into.sum += from.sum;
  into.count += from.count;
}

/** The running totals Prometheus expects for `le` buckets, ending with +Inf. */
export function cumulative(histogram: HistogramSnapshot): number[] {
  let total = 0;
  return histogram.counts.map((n) => (total += n));
}
