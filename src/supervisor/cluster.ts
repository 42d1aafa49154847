import type { ServeSettings } from "../config/options.ts";
import type { Logger } from "../log.ts";
import type { LinkStatus, RedisLink } from "../cluster/redis-link.ts";
import type { Teardown } from "./teardown.ts";

/** This server as a member of a cluster on Redis (docs/CLUSTER.md). */
export interface ClusterMember {
  /** This server's name; part of every id it hands out to the cluster. */
  readonly node: string;
  /** --cluster-prefix: the first part of every Redis key and channel of the cluster. */
  readonly prefix: string;
  readonly link: RedisLink;
}

/**
 * Joins the cluster named by --cluster-redis, or returns undefined when the
 * server stands alone. Joining never waits for Redis: the server starts and
 * serves while the link connects, and says once when Redis is reached, lost
 * and back. The Redis client is loaded only here: a server that stands
 * alone never evaluates it (a fifth of the bundle; start-up time).
 */
export async function joinCluster(settings: Pick<ServeSettings, "clusterRedis" | "clusterNode" | "clusterPrefix">, log: Logger, teardown: Teardown): Promise<ClusterMember | undefined> {
  if (!settings.clusterRedis) return undefined;
  const { nodeName, openRedisLink } = await import("../cluster/redis-link.ts");
  const node = nodeName(settings.clusterNode);
  const link = openRedisLink(settings.clusterRedis, `lsky:${node}`);
  const where = redactedUrl(settings.clusterRedis);
  let leaving = false;
  link.onState((status) => leaving || log[status.state === "up" ? "info" : "warn"](describeState(status, node, where)));
  // Added early, so it runs late (newest first): pools still publish while they drain.
  teardown.add("cluster", () => {
    leaving = true;
    return link.close();
  });
  return { node, prefix: settings.clusterPrefix, link };
}

function describeState(status: LinkStatus, node: string, where: string): string {
  if (status.state === "up") return `cluster: node ${node} joined through Redis at ${where}`;
  const why = status.lastError ? ` (${status.lastError})` : "";
  return `cluster: Redis at ${where} is unreachable${why}; this server keeps serving its own clients and retries`;
}

/** The URL without its password, for logs and status. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}
