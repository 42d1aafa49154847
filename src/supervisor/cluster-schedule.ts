import type { ServeSettings } from "../config/options.ts";
import { createScheduleLocks, type ScheduleLocks } from "../cluster/schedule-lock.ts";
import type { ClusterMember } from "./cluster.ts";

/** The scheduler's tick locks on the cluster's Redis (docs/SCHEDULE.md, "On a cluster"). */
export function scheduleLocksFor(member: ClusterMember, settings: Pick<ServeSettings, "clusterPrefix" | "clusterLockTtl">): ScheduleLocks {
  return createScheduleLocks(member.link.commands, { prefix: settings.clusterPrefix, node: member.node, ttl: settings.clusterLockTtl });
}
