// The one statistics module of the bench harness: every suite's medians,
// ratios and percentiles come from here (and the bus app's, inside a worker).

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The nearest-rank percentile (`p` from 0 to 1) of numbers sorted ascending:
 * a value that was measured, never an interpolation. NaN for none.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** The values of a series that were measured (a failed round leaves a hole). */
export function defined(values: readonly (number | undefined)[]): number[] {
  return values.filter((v): v is number => v !== undefined);
}

/**
 * The median of per-round ratios a[i] / b[i]. Pairing each round's figures
 * cancels drift in the machine's load over the run better than dividing the
 * two medians. Rounds missing on either side are skipped.
 */
export function medianRatio(a: readonly (number | undefined)[], b: readonly (number | undefined)[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== undefined && y !== undefined && y > 0) ratios.push(x / y);
  }
  return median(ratios);
}
