import { parseBoolean, parseDuration } from "./parse-value.ts";
import { settingFor } from "./setting-spec.ts";

/** Several lsky servers as one cluster on a Redis server (docs/CLUSTER.md). */
export interface ClusterSettings {
  /** redis:// or rediss:// URL; "" (the default) keeps the server on its own. */
  clusterRedis: string;
  /** This server's name in the cluster; "" takes the host name and the supervisor's pid. */
  clusterNode: string;
  /** /readyz answers 503 while this server cannot reach the cluster's Redis. */
  clusterRequired: boolean;
  /** First part of every Redis key lsky writes, so two clusters can share one Redis. */
  clusterPrefix: string;
  /** Ms a scheduled job's cluster lock outlives a node that stopped renewing it. */
  clusterLockTtl: number;
}

/** The config file's `cluster: { redis, node, ... }`, read as the settings it stands for. */
export const CLUSTER_FILE_KEYS = {
  redis: "clusterRedis", node: "clusterNode", required: "clusterRequired", prefix: "clusterPrefix", lockTtl: "clusterLockTtl",
} as const;

const setting = settingFor<ClusterSettings>();

export const CLUSTER_SETTINGS = [
  setting({
    key: "clusterRedis", group: "cluster", flag: "cluster-redis", env: ["LSKY_CLUSTER_REDIS"], valueName: "URL",
    description: "Redis server that joins this server to a cluster (redis://host:6379); none: the server stands alone",
    defaultText: "none",
    parse: parseRedisUrl,
    defaultValue: () => "",
  }),
  setting({
    key: "clusterNode", group: "cluster", flag: "cluster-node", env: ["LSKY_CLUSTER_NODE"], valueName: "NAME",
    description: "This server's name in the cluster (letters, digits, . _ -); default: the host name and the supervisor's pid",
    defaultText: "host-pid",
    parse: parseNodeName,
    defaultValue: () => "",
  }),
  setting({
    key: "clusterRequired", group: "cluster", flag: "cluster-required", env: ["LSKY_CLUSTER_REQUIRED"], boolean: true,
    description: "Make /readyz answer 503 while the cluster's Redis is unreachable; default: a node stays ready and serves its own clients",
    parse: parseBoolean,
    // Off: one Redis shared by every node going away would otherwise take
    // every node out of the load balancer at once, an outage where the
    // nodes could still serve their own clients (docs/CLUSTER.md).
    defaultValue: () => false,
  }),
  setting({
    key: "clusterPrefix", group: "cluster", flag: "cluster-prefix", env: ["LSKY_CLUSTER_PREFIX"], valueName: "NAME",
    description: "First part of every Redis key of the cluster, so two clusters can share one Redis",
    parse: parseKeyPrefix,
    defaultValue: () => "lsky",
  }),
  setting({
    key: "clusterLockTtl", group: "cluster", flag: "cluster-lock-ttl", env: ["LSKY_CLUSTER_LOCK_TTL"], valueName: "DURATION",
    description: "How long a scheduled job's cluster lock outlives a node that stopped renewing it (renewed every third of it)",
    parse: parseLockTtl,
    defaultValue: () => 5000,
  }),
] as const;

export function parseRedisUrl(text: string): string {
  const value = text.trim();
  if (value === "") return "";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError("expected a redis:// or rediss:// URL");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new RangeError("expected a redis:// or rediss:// URL");
  }
  return value;
}

// Node names go into Redis keys, channel names and WebSocket ids.
const NODE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function parseNodeName(text: string): string {
  const value = text.trim();
  if (value !== "" && !NODE_NAME.test(value)) {
    throw new RangeError('expected a node name of 1 to 64 letters, digits, ".", "_" or "-"');
  }
  return value;
}

// Prefixes go into Redis keys and channel names: no spaces, no braces (hash tags).
const KEY_PREFIX = /^[A-Za-z0-9._:-]{1,64}$/;

export function parseKeyPrefix(text: string): string {
  const value = text.trim();
  if (!KEY_PREFIX.test(value)) throw new RangeError('expected a prefix of 1 to 64 letters, digits, ".", "_", ":" or "-"');
  return value;
}

const MIN_LOCK_TTL_MS = 100;
const MAX_LOCK_TTL_MS = 600_000;

export function parseLockTtl(text: string): number {
  const ms = parseDuration(text);
  if (ms < MIN_LOCK_TTL_MS || ms > MAX_LOCK_TTL_MS) throw new RangeError("expected a duration from 100ms to 10m");
  return ms;
}
