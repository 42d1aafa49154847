import { emptyHistogram, type HistogramSnapshot, mergeHistograms, observe } from "./histogram.ts";

/** What one worker counts about the requests it served, as sent in its heartbeat. */
export interface RequestMetrics {
  /** Responses by status class: index 1 = 1xx ... 5 = 5xx. */
  statusClasses: number[];
  duration: HistogramSnapshot;
  /** The worst event-loop delay seen in the last heartbeat period, in ms. */
  eventLoopLag: number;
}

export function emptyRequestMetrics(): RequestMetrics {
  return { statusClasses: [0, 0, 0, 0, 0, 0], duration: emptyHistogram(), eventLoopLag: 0 };
}

export function recordResponse(metrics: RequestMetrics, status: number, seconds: number): void {
  const statusClass = Math.min(5, Math.max(1, Math.floor(status / 100)));
  metrics.statusClasses[statusClass]!++;
  observe(metrics.duration, seconds);
}

/** Adds counters (not the lag, which is per worker) of `from` into `into`. */
export function mergeRequestMetrics(into: RequestMetrics, from: RequestMetrics): void {
  for (let i = 0; i < into.statusClasses.length; i++) into.statusClasses[i]! += from.statusClasses[i] ?? 0;
  mergeHistograms(into.duration, from.duration);
}

export function cloneRequestMetrics(metrics: RequestMetrics): RequestMetrics {
  return JSON.parse(JSON.stringify(metrics)) as RequestMetrics;
}
