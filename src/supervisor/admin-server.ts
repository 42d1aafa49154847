import { loadAdapter } from "../runtime/load-adapter.ts";
import type { HttpServer, LskyContext, RemoteAddr } from "../runtime/types.ts";
import type { MetricsAggregator } from "./metrics-aggregator.ts";
import type { WorkerPool } from "./pool.ts";
import { claimPort } from "./port-check.ts";
import { resolveSettings } from "../config/resolve.ts";
import type { AdminAddress } from "../config/admin-address.ts";

export type AdminRoutes = (request: Request) => Response | Promise<Response> | undefined;

/**
 * The admin listener (`--admin 127.0.0.1:9000`), served by the supervisor and
 * never on the public port: the dashboard (`extra`), Prometheus metrics
 * aggregated across workers, `/healthz` (the supervisor is alive) and
 * `/readyz` (at least one worker is ready, 503 otherwise) for Kubernetes
 * probes and load balancers. `clusterReady` (with --cluster-required):
 * false while the cluster's Redis is unreachable, which makes /readyz 503
 * too; undefined when the cluster does not decide readiness.
 */
export async function startAdminServer(
  address: AdminAddress,
  pool: WorkerPool,
  metrics: MetricsAggregator,
  startedAt: number,
  extra?: AdminRoutes,
  clusterReady?: () => boolean | undefined,
): Promise<HttpServer> {
  const port = await claimPort(address.host, address.port);
  const adapter = await loadAdapter();
  const handler = createAdminHandler(pool, () => metrics.render(pool, startedAt), extra, clusterReady);
  // The admin routes read nothing from the context; there is no app bus here.
  const context = <Source>(readRemoteAddr: (source: Source) => RemoteAddr, source: Source) =>
    ({ remoteAddr: readRemoteAddr(source) }) as LskyContext;
  // The admin listener keeps the default limits of the public one.
  const limits = { ...resolveSettings({ flags: {}, env: {}, context: { currentEngine: adapter.engine } }).settings };
  return adapter.serve({ hostname: address.host, port, shouldClose: () => false, handler, context, limits, denoServer: limits.denoServer });
}

/** The admin routes, apart from the listener so they can be tested alone. */
export function createAdminHandler(
  pool: Pick<WorkerPool, "readyCount">,
  renderMetrics: () => string | Promise<string>,
  extra?: AdminRoutes,
  clusterReady: () => boolean | undefined = () => undefined,
): (request: Request) => Response | Promise<Response> {
  return (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/metrics") {
      const headers = { "content-type": "text/plain; version=0.0.4; charset=utf-8" };
      return Promise.resolve(renderMetrics()).then((text) => new Response(text, { headers }));
    }
    if (path === "/healthz") return Response.json({ status: "ok" });
    if (path === "/readyz") return readiness(pool.readyCount(), clusterReady());
    return extra?.(request) ?? new Response("Not Found\n", { status: 404 });
  };
}

function readiness(workers: number, cluster: boolean | undefined): Response {
  const ready = workers > 0 && cluster !== false;
  const body = { status: ready ? "ready" : "not ready", workers, ...(cluster === undefined ? {} : { cluster: cluster ? "up" : "down" }) };
  return Response.json(body, { status: ready ? 200 : 503 });
}
