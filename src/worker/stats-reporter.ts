import type { WorkerMessage } from "../bus/protocol.ts";
import { startLagMonitor } from "../metrics/event-loop-lag.ts";
import { emptyRequestMetrics } from "../metrics/request-metrics.ts";
import { residentMemoryReader } from "./descriptor-pressure.ts";
import type { WorkerState } from "./worker-state.ts";

export interface StatsReporter {
  /** Request metrics for the admin listener's /metrics; undefined without --admin. */
  readonly metrics: ReturnType<typeof emptyRequestMetrics> | undefined;
  readonly readRss: () => number;
  stats(): WorkerMessage;
  /** The stats plus the app's own metrics, when it exports a registry. */
  statsWithAppMetrics(): Promise<WorkerMessage>;
}

/** The worker's `stats` message: counters, memory, event-loop lag, sockets, heap trend. */
export function createStatsReporter(state: WorkerState): StatsReporter {
  const metrics = state.spec.settings.admin ? emptyRequestMetrics() : undefined;
  // Always on: the supervisor's watchdog tells a slow worker from a hung one by it.
  const lag = startLagMonitor();
  const readRss = residentMemoryReader();
  const stats = (): WorkerMessage => {
    const loopLag = lag.take();
    if (metrics) metrics.eventLoopLag = loopLag;
    const hub = state.websockets?.hub;
    const sockets = hub && { ...hub.stats, open: hub.local.size };
    return { type: "stats", ...state.counters, rss: readRss(), metrics, lag: loopLag, websockets: sockets, heapSlope: state.leakWatch?.slope(),
      ...(state.listeners ? { listeners: state.listeners.stats() } : {}) };
  };
  const statsWithAppMetrics = async (): Promise<WorkerMessage> => {
    const appMetrics = state.readAppMetrics && metrics ? await state.readAppMetrics() : undefined;
    return { ...stats(), ...(appMetrics ? { appMetrics } : {}) } as WorkerMessage;
  };
  return { metrics, readRss, stats, statsWithAppMetrics };
}
