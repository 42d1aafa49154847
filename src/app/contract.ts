import type { AppMetricsRegistry } from "../metrics/app-metrics.ts";
import type { LskyContext } from "../runtime/types.ts";

/**
 * What lsky serves: a module whose default export has `fetch(request, context)`,
 * a plain object or a Hono app. The same convention Bun, Deno (`deno serve`),
 * Cloudflare Workers and Hono share, so existing apps run unchanged.
 */
export interface FetchApp {
  fetch(request: Request, context: LskyContext): unknown;
  /** The app's own metrics: prom-client's `register` (or another of its registries), added up across workers on /metrics. */
  metrics?: AppMetricsRegistry;
}

export function isFetchApp(value: unknown): value is FetchApp {
  return typeof value === "object" && value !== null && typeof (value as FetchApp).fetch === "function" ||
    typeof value === "function" && typeof (value as unknown as FetchApp).fetch === "function";
}
