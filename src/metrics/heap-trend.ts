/**
 * Tells a heap that keeps growing from one that merely wobbles, from samples
 * of the heap taken after a full GC (docs/HOOKS.md, `--leak-check`). Pure:
 * the worker feeds it; the unit tests feed it made-up series.
 */
export interface HeapSample {
  /** Requests the worker had served when the sample was taken. */
  requests: number;
  /** Heap in use after a full GC, in bytes. */
  heapBytes: number;
}

/** Samples the verdict looks at: with the default 1000 requests apart, 8,000 requests. */
export const HEAP_TREND_WINDOW = 8;

/**
 * Growth below this is not reported, whatever its shape: 16 bytes a request
 * is 16 MB over a million requests, about what one idle V8 or JSC heap
 * drifts by as its code caches and inline caches fill.
 */
export const MIN_LEAK_SLOPE = 16;

/** Least-squares slope of heap bytes over requests; 0 with fewer than two distinct request counts. */
export function heapSlope(samples: readonly HeapSample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = samples.reduce((sum, s) => sum + s.requests, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.heapBytes, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += (s.requests - meanX) * (s.heapBytes - meanY);
    variance += (s.requests - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * "Keeps growing": a full window whose slope is at least MIN_LEAK_SLOPE and
 * whose later half lies wholly above its earlier half. The second test is
 * what rejects a sawtooth (a cache filling and being trimmed), whose slope
 * over one window can be as steep as a leak's.
 */
export function keepsGrowing(samples: readonly HeapSample[], minSlope = MIN_LEAK_SLOPE): boolean {
  if (samples.length < HEAP_TREND_WINDOW) return false;
  const window = samples.slice(-HEAP_TREND_WINDOW);
  const half = HEAP_TREND_WINDOW / 2;
  const earlierMax = Math.max(...window.slice(0, half).map((s) => s.heapBytes));
  const laterMin = Math.min(...window.slice(half).map((s) => s.heapBytes));
  return laterMin > earlierMax && heapSlope(window) >= minSlope;
}

export interface HeapVerdict {
  /** Bytes per request over the last window (or what there is of it). */
  slope: number;
  /** True when this sample should produce a warning. */
  warn: boolean;
}

/**
 * Keeps the last window of samples. Warns when the heap keeps growing, then
 * stays quiet for a whole window of new samples, so a steady leak warns once
 * every window rather than at every sample.
 */
export class HeapTrend {
  #samples: HeapSample[] = [];
  #quietFor = 0;

  constructor(private readonly minSlope = MIN_LEAK_SLOPE) {}

  record(sample: HeapSample): HeapVerdict {
    this.#samples.push(sample);
    if (this.#samples.length > HEAP_TREND_WINDOW) this.#samples.shift();
    const slope = heapSlope(this.#samples);
    if (this.#quietFor > 0) {
      this.#quietFor--;
      return { slope, warn: false };
    }
    const warn = keepsGrowing(this.#samples, this.minSlope);
    if (warn) this.#quietFor = HEAP_TREND_WINDOW - 1;
    return { slope, warn };
  }
}
