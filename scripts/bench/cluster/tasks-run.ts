// What either durable queue of the cluster suite reports for one way of
// adding jobs (all at once, or one after another).
import { percentile } from "../stats.ts";

export interface JobsRun {
  perSecond: number;
  medianMs: number;
  p99Ms: number;
  /** CPU time of the producer, the workers and redis-server, per job. */
  cpuUsPerJob: number;
  /** redis-server's share of it. */
  redisUsPerJob: number;
}

export interface TasksRun {
  bulk: JobsRun;
  single: JobsRun;
}

export interface TasksSizes {
  /** Jobs added at once (addBulk, or dispatches all in flight). */
  bulk: number;
  /** Jobs added one after another, each add awaited. */
  single: number;
}

export const wallMs = () => performance.timeOrigin + performance.now();

export function jobsRun(latencies: number[], seconds: number, cpuMs: number, redisMs: number): JobsRun {
  const sorted = [...latencies].sort((x, y) => x - y);
  const n = latencies.length;
  return {
    perSecond: n / seconds,
    medianMs: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    cpuUsPerJob: (cpuMs * 1000) / n,
    redisUsPerJob: (redisMs * 1000) / n,
  };
}
