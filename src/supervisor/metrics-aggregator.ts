import type { ExitReason } from "../bus/protocol.ts";
import { type MetricsSnapshot, renderPrometheus } from "../metrics/exposition.ts";
import type { Logger } from "../log.ts";
import { AppMetricsCollector } from "./app-metrics-collector.ts";
import { readProcessMetrics } from "../metrics/process-metrics.ts";
import { cloneRequestMetrics, emptyRequestMetrics, mergeRequestMetrics } from "../metrics/request-metrics.ts";
import { monotonicNow } from "../clock.ts";
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
  /** The app's own metrics (prom-client), added up across workers. */
  readonly app: AppMetricsCollector;

  constructor(
    dropped?: () => NonNullable<MetricsSnapshot["dropped"]>,
    log?: Pick<Logger, "warn">,
    /** The scheduled jobs' counters (docs/SCHEDULE.md). */
    private readonly schedule?: () => NonNullable<MetricsSnapshot["schedule"]>,
    /** Task workers and the task queue (docs/TASKS.md). */
    private readonly tasks?: () => NonNullable<MetricsSnapshot["tasks"]>,
    /** The shared tables' rows and the cache's counters (docs/TABLES.md). */
    private readonly store?: () => NonNullable<MetricsSnapshot["store"]>,
    /** The custom processes' rows (docs/PROCESSES.md). */
    private readonly processes?: () => NonNullable<MetricsSnapshot["processes"]>,
    /** This node of a cluster (docs/CLUSTER.md); undefined on a server that stands alone. */
    private readonly cluster?: () => MetricsSnapshot["cluster"],
  ) {
    this.dropped = dropped;
    this.app = new AppMetricsCollector(log);
  }

  onWorkerExit(worker: WorkerHandle, record: ExitRecord): void {
    if (worker.metrics) mergeRequestMetrics(this.retired, worker.metrics);
    this.app.onWorkerExit(worker);
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

  /** The /metrics text: lsky's series, then the app's own when it exports a registry. */
  async render(pool: WorkerPool, startedAt: number): Promise<string> {
    // First: the workers' answers also refresh the request counters the snapshot reads.
    const app = await this.app.collect(() => pool.workers());
    const own = renderPrometheus(this.snapshot(pool, startedAt));
    return own + this.app.render(app, own);
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
        heapSlope: worker.stats.heapSlope,
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
      tasks: this.tasks?.(),
      store: this.store?.(),
      processes: this.processes?.(),
      cluster: this.cluster?.(),
    };
  }
}
