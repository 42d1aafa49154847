import { type AppMetricsRegistry, isAppMetricsRegistry } from "../metrics/app-metrics.ts";

/**
 * Reads the app's own metrics for the supervisor: the registry the app
 * exports as `metrics` on its default export (prom-client's `register`, or
 * any of its registries), or undefined when it exports none. A registry that
 * throws (a gauge's collect() callback failing) is said once, and its last
 * good answer is sent instead, so one failing scrape does not dip the sums.
 */
export function appMetricsReader(app: unknown, log: (line: string) => void): (() => Promise<unknown[]>) | undefined {
  const registry = typeof app === "object" || typeof app === "function"
    ? (app as { metrics?: unknown } | null)?.metrics
    : undefined;
  if (!isAppMetricsRegistry(registry)) return undefined;
  return readWith(registry, log);
}

function readWith(registry: AppMetricsRegistry, log: (line: string) => void): () => Promise<unknown[]> {
  let last: unknown[] = [];
  let failing = false;
  return async () => {
    try {
      const families = await withinTime(Promise.resolve(registry.getMetricsAsJSON()));
      last = Array.isArray(families) ? families : [];
      failing = false;
    } catch (error) {
      if (!failing) log(`the app's metrics registry failed (its last figures are reported meanwhile): ${error instanceof Error ? error.message : String(error)}`);
      failing = true;
    }
    // Plain data for the bus: prom-client's JSON holds nothing else, but an app's own registry might.
    return JSON.parse(JSON.stringify(last)) as unknown[];
  };
}

// A registry whose collect() never settles must not hold a drain (the last stats) forever.
const READ_TIMEOUT_MS = 1000;

function withinTime<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
