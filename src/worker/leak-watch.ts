import type { HookSettings } from "../config/hook-options.ts";
import { HeapTrend } from "../metrics/heap-trend.ts";
import { enableGarbageCollection } from "../runtime/collect-garbage.ts";

// How often the request count is looked at; a sample is taken only once
// another --leak-check-every requests were served, so an idle worker never
// pays for a GC.
const CHECK_MS = 250;

export interface LeakWatch {
  /** Bytes per request over the last samples; undefined before two samples. */
  slope(): number | undefined;
  stop(): void;
}

/**
 * `--leak-check`: after the warm-up, every `leakCheckEvery` requests, runs a
 * full GC, samples the heap in use and warns while it keeps growing
 * (metrics/heap-trend.ts). The GC runs on a timer, between requests, never
 * inside one.
 */
export async function startLeakWatch(
  settings: HookSettings,
  requestsServed: () => number,
  warn: (line: string) => void,
): Promise<LeakWatch | undefined> {
  if (!settings.leakCheck) return undefined;
  const gc = await enableGarbageCollection();
  if (!gc) warn("--leak-check: this engine offers no way to run a full GC; heap samples include garbage and the slope is rougher");
  const trend = new HeapTrend();
  let nextAt = settings.leakCheckWarmup;
  let samples = 0;
  let slope: number | undefined;
  const timer = setInterval(() => {
    const requests = requestsServed();
    if (requests < nextAt) return;
    nextAt = requests + settings.leakCheckEvery;
    gc?.();
    const heapBytes = process.memoryUsage().heapUsed;
    const verdict = trend.record({ requests, heapBytes });
    if (++samples >= 2) slope = verdict.slope;
    if (verdict.warn) {
      warn(`--leak-check: the heap keeps growing after GC, by ${Math.round(verdict.slope)} bytes/request ` +
        `(${(heapBytes / 1_048_576).toFixed(1)} MB in use after ${requests} requests); something the app keeps per request is never freed`);
    }
  }, CHECK_MS);
  timer.unref?.();
  return { slope: () => slope, stop: () => clearInterval(timer) };
}
