import type { ClusterCounters } from "./cluster-bus.ts";
import type { LinkState } from "./redis-link.ts";

/** The cluster part of `lsky status --json` and /metrics; absent on a server that stands alone. */
export interface ClusterStatus extends ClusterCounters {
  node: string;
  /** The Redis URL, its password masked. */
  redis: string;
  state: LinkState;
  /** Times the connection to Redis was lost since start. */
  linkDrops: number;
  /** The last connection error while Redis is away, "" while up. */
  lastError: string;
}

/** The Prometheus families of the cluster. */
export function clusterMetricLines(
  cluster: ClusterStatus,
  family: (name: string, type: string, help: string) => void,
  lines: string[],
): void {
  const one = (name: string, type: string, help: string, value: number) => (family(name, type, help), lines.push(`${name} ${value}`));
  one("lsky_cluster_up", "gauge", "1 while this node reaches the cluster's Redis, else 0.", cluster.state === "up" ? 1 : 0);
  one("lsky_cluster_messages_in_total", "counter", "Publishes and requests received from other nodes.", cluster.messagesIn);
  one("lsky_cluster_messages_out_total", "counter", "Publishes and requests sent to the other nodes.", cluster.messagesOut);
  one("lsky_cluster_dropped_total", "counter", "Publishes not sent to the other nodes because Redis was unreachable.", cluster.dropped);
  one("lsky_cluster_link_drops_total", "counter", "Times the connection to the cluster's Redis was lost.", cluster.linkDrops);
}
