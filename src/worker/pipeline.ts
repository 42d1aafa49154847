import type { ServeSettings } from "../config/options.ts";
import { metricsStage } from "../metrics/metrics-stage.ts";
import type { RequestMetrics } from "../metrics/request-metrics.ts";
import type { FetchHandler } from "../runtime/types.ts";

/**
 * A stage wraps the handler after it: it may answer a request itself (a static
 * file, a limit) or change what goes in and comes out (compression, proxy
 * headers). The app's own handler, already made error-proof, is innermost.
 */
export type Stage = (next: FetchHandler) => FetchHandler;

/** What a worker shares with its stages. */
export interface WorkerServices {
  /** Present when metrics are on (--admin). */
  metrics?: RequestMetrics;
}

/** Builds the stages a worker runs, outermost first, from the settings. */
export function createStages(_settings: ServeSettings, services: WorkerServices = {}): Stage[] {
  const stages: Stage[] = [];
  if (services.metrics) stages.push(metricsStage(services.metrics));
  return stages;
}

export function composeStages(stages: Stage[], inner: FetchHandler): FetchHandler {
  return stages.reduceRight((next, stage) => stage(next), inner);
}
