import {
  aggregateFamilies, declaredFamilies, type MetricFamilyJSON, renderFamilies, retainedOnExit,
} from "../metrics/app-metrics.ts";
import type { Logger } from "../log.ts";
import type { WorkerHandle } from "./worker-handle.ts";

// How long a scrape waits for the workers' answers. A worker that does not
// answer in time (busy, or blocked by the app) counts with its last answer,
// so a slow worker delays a scrape by this much at most and never dips a sum.
export const APP_METRICS_WAIT_MS = 1000;

/**
 * The app's own metrics (prom-client's registry, exported as `metrics` on
 * the app's default export), asked of every worker when /metrics is scraped,
 * as prom-client's cluster mode does, and added up (src/metrics/app-metrics.ts).
 * A worker that exits leaves its counters and histograms behind, so the
 * app's totals stay monotonic across restarts and reloads as lsky's do.
 */
export class AppMetricsCollector {
  private retired: MetricFamilyJSON[] = [];
  private readonly warned = new Set<string>();
  private readonly log?: Pick<Logger, "warn">;

  constructor(log?: Pick<Logger, "warn">) {
    this.log = log;
  }

  onWorkerExit(worker: WorkerHandle): void {
    if (worker.appMetrics) this.retired = aggregateFamilies([this.retired, retainedOnExit(worker.appMetrics)]);
  }

  /** Asks the live workers for fresh figures (waiting at most APP_METRICS_WAIT_MS) and adds them up. */
  async collect(workers: () => WorkerHandle[]): Promise<MetricFamilyJSON[]> {
    const asked = workers().filter((w) => w.hasAppMetrics && w.state !== "exited");
    if (asked.length === 0 && this.retired.length === 0) return [];
    const answered = Promise.all(asked.map((w) => w.nextAppMetrics()));
    for (const worker of asked) worker.send({ type: "stats-request", appMetrics: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([answered, new Promise((resolve) => (timer = setTimeout(resolve, APP_METRICS_WAIT_MS)))]);
    clearTimeout(timer);
    // Read the pool again: a worker that exited meanwhile is in `retired` now, not to be counted twice.
    return aggregateFamilies([this.retired, ...workers().map((w) => w.appMetrics ?? [])]);
  }

  /** The app's families as text, after lsky's own (`own`); a family lsky already declares is left out, said once. */
  render(families: readonly MetricFamilyJSON[], own: string): string {
    const taken = declaredFamilies(own);
    for (const family of families) {
      if (!taken.has(family.name) || this.warned.has(family.name)) continue;
      this.warned.add(family.name);
      this.log?.warn(`the app's metric "${family.name}" is left out of /metrics: lsky reports a metric of that name itself`);
    }
    return renderFamilies(families, taken);
  }
}
