import type { ExitReason } from "../bus/protocol.ts";
import type { MetricsSnapshot } from "../metrics/exposition.ts";
import { readProcessMetrics } from "../metrics/process-metrics.ts";
import { cloneRequestMetrics, emptyRequestMetrics, mergeRequestMetrics } from "../metrics/request-metrics.ts";
import { monotonicNow } from "./clock.ts";
import type { WorkerPool } from "./pool.ts";
import type { ExitRecord, WorkerHandle } from "./worker-handle.ts";

/** A moment worth marking on a chart's time axis: a worker exit or a reload. */
export interface TimelineEvent {
  /** Increases by one per event, so a reader can ask for what it has not seen. */
  seq: number;
  at: number;
  kind: "exit" | "reload";
  /** For an exit: why the worker went (crashed, reload, max-requests...). */
  reason?: ExitReason;
  text: string;
}

// Enough for the dashboard's chart window, whatever a crash loop does.
const MAX_EVENTS = 200;

/**
 * Adds up the workers' metrics. Counters stay monotonic across restarts: when
 * a worker exits, its last reported totals move into `retired`.
 */
export class MetricsAggregator {
  private readonly retired = emptyRequestMetrics();
  private readonly exits: Partial<Record<ExitReason, number>> = {};
  private readonly timeline: TimelineEvent[] = [];
  private nextSeq = 1;
  private readonly dropped?: () => NonNullable<MetricsSnapshot["dropped"]>;

  constructor(
    dropped?: () => NonNullable<MetricsSnapshot["dropped"]>,
    /** The scheduled jobs' counters (docs/SCHEDULE.md). */
    private readonly schedule?: () => NonNullable<MetricsSnapshot["schedule"]>,
  ) {
    this.dropped = dropped;
  }

  onWorkerExit(worker: WorkerHandle, record: ExitRecord): void {
    if (worker.metrics) mergeRequestMetrics(this.retired, worker.metrics);
    this.exits[record.reason] = (this.exits[record.reason] ?? 0) + 1;
    const how = record.signal ?? `code ${record.code}`;
    this.recordEvent("exit", `worker ${worker.slot} (pid ${worker.pid}) ${record.reason}, ${how}`, record.at, record.reason);
  }

  recordEvent(kind: TimelineEvent["kind"], text: string, at = Date.now(), reason?: ExitReason): void {
    this.timeline.push({ seq: this.nextSeq++, at, kind, text, ...(reason ? { reason } : {}) });
    if (this.timeline.length > MAX_EVENTS) this.timeline.shift();
  }

  /** Events after `seq` (all that are kept for 0). */
  eventsAfter(seq: number): TimelineEvent[] {
    return this.timeline.filter((event) => event.seq > seq);
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
        websockets: worker.stats.websockets,
      };
    });
    return {
      requests,
      workers,
      workersByState,
      restartsByReason: { ...this.exits } as Record<string, number>,
      supervisor: { ...pool.counters, stalls: pool.clock.stalls },
      uptimeSeconds: Math.round((monotonicNow() - startedAt) / 1000),
      dropped: this.dropped?.(),
      process: readProcessMetrics(),
      schedule: this.schedule?.(),
    };
  }
}
