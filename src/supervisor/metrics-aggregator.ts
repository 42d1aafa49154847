import type { ExitReason } from "../bus/protocol.ts";
import type { MetricsSnapshot } from "../metrics/exposition.ts";
import { cloneRequestMetrics, emptyRequestMetrics, mergeRequestMetrics } from "../metrics/request-metrics.ts";
import { monotonicNow } from "./clock.ts";
import type { WorkerPool } from "./pool.ts";
import type { ExitRecord, WorkerHandle } from "./worker-handle.ts";

/**
 * Adds up the workers' metrics. Counters stay monotonic across restarts: when
 * a worker exits, its last reported totals move into `retired`.
 */
export class MetricsAggregator {
  private readonly retired = emptyRequestMetrics();
  private readonly exits: Partial<Record<ExitReason, number>> = {};

  onWorkerExit(worker: WorkerHandle, record: ExitRecord): void {
    if (worker.metrics) mergeRequestMetrics(this.retired, worker.metrics);
    this.exits[record.reason] = (this.exits[record.reason] ?? 0) + 1;
  }

  snapshot(pool: WorkerPool, startedAt: number): MetricsSnapshot {
    const requests = cloneRequestMetrics(this.retired);
    const workersByState: Record<string, number> = { starting: 0, ready: 0, draining: 0 };
    const workers = pool.workers().map((worker) => {
      if (worker.metrics) mergeRequestMetrics(requests, worker.metrics);
      workersByState[worker.state] = (workersByState[worker.state] ?? 0) + 1;
      return {
        id: worker.slot,
        pid: worker.pid,
        rss: worker.stats.rss,
        inflight: worker.stats.inflight,
        eventLoopLag: worker.reportedLag,
      };
    });
    return {
      requests,
      workers,
      workersByState,
      restartsByReason: { ...this.exits } as Record<string, number>,
      supervisor: { ...pool.counters, stalls: pool.clock.stalls },
      uptimeSeconds: Math.round((monotonicNow() - startedAt) / 1000),
    };
  }
}
