import type { Stage } from "../http/stage.ts";
import { recordResponse, type RequestMetrics } from "./request-metrics.ts";

/**
 * Counts every response by status class and observes the time to the
 * response (headers ready, not body end). Added only when metrics are on, so
 * it costs nothing otherwise.
 */
export function metricsStage(metrics: RequestMetrics): Stage {
  return (next) => (request, context) => {
    const started = performance.now();
    const result = next(request, context);
    if (result instanceof Promise) {
      return result.then((response) => {
        recordResponse(metrics, response.status, (performance.now() - started) / 1000);
        return response;
      });
    }
    recordResponse(metrics, result.status, (performance.now() - started) / 1000);
    return result;
  };
}
