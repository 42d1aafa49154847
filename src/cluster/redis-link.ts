import { hostname } from "node:os";
import { Redis } from "ioredis";

/** Where the cluster's Redis connection stands, for status, /readyz and /metrics. */
export type LinkState = "connecting" | "up" | "down";

export interface LinkStatus {
  state: LinkState;
  /** Times the link went down since start. */
  drops: number;
  /** The last connection error while down, "" while up. */
  lastError: string;
}

/**
 * The supervisor's two connections to the cluster's Redis: one for commands,
 * one in subscriber mode (Redis allows nothing else on a subscribed
 * connection). Both reconnect on their own with a capped backoff, and the
 * subscriber restores its channels when Redis is back (ioredis's
 * autoResubscribe). Commands fail at once while Redis is away instead of
 * queueing without bound: local delivery never waits on the cluster.
 */
export interface RedisLink {
  readonly commands: Redis;
  readonly subscriber: Redis;
  status(): LinkStatus;
  /** Called on every change of state (both connections up is "up"). */
  onState(listener: (status: LinkStatus) => void): void;
  close(): Promise<void>;
}

// Reconnect backoff: 100 ms after the first failure, doubling, never more
// than 2 s apart, so a Redis restart is noticed within about 2 s.
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;
const CONNECT_TIMEOUT_MS = 5000;

export function retryDelay(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
}

export function openRedisLink(url: string, connectionName: string): RedisLink {
  const options = {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionName,
    retryStrategy: retryDelay,
  };
  const commands = new Redis(url, options);
  // The subscriber may queue its SUBSCRIBE until connected: that is how the
  // channels named before Redis answered are subscribed once it does.
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
  const listeners: Array<(status: LinkStatus) => void> = [];
  let current: LinkStatus = { state: "connecting", drops: 0, lastError: "" };
  // Up when both connections are ready; down from the first loss after that
  // until both are ready again (before the first success: connecting).
  const update = () => {
    const up = commands.status === "ready" && subscriber.status === "ready";
    const state: LinkState = up ? "up" : current.state === "up" ? "down" : current.state;
    if (state === current.state) return;
    current = { state, drops: current.drops + (state === "down" ? 1 : 0), lastError: up ? "" : current.lastError };
    for (const listener of listeners) listener(current);
  };
  for (const connection of [commands, subscriber]) {
    connection.on("ready", update);
    connection.on("close", update);
    // Without a listener ioredis prints every failed attempt; the state says it once.
    connection.on("error", (error: Error) => void (current = { ...current, lastError: error.message }));
  }
  return {
    commands,
    subscriber,
    status: () => current,
    onState: (listener) => void listeners.push(listener),
    close: async () => {
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/** This server's node name: the setting, or the host name and the supervisor's pid. */
export function nodeName(configured: string, pid = process.pid): string {
  if (configured) return configured;
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 50) || "node";
  return `${host}-${pid}`;
}
