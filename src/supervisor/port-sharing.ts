import { readFileSync } from "node:fs";
import { logger } from "../log.ts";
import type { Engine } from "../runtime/types.ts";

/**
 * Closing a SO_REUSEPORT listener resets the connections still queued on it,
 * which drops requests during reloads and recycling. Linux 5.14+ can move them
 * to the other listeners instead when net.ipv4.tcp_migrate_req is 1. Node
 * workers share one listener through cluster, so the pitfall does not apply.
 */
export function warnAboutPortSharing(workers: number, engine: Engine, read = readMigrateSetting): void {
  if (engine === "node" || process.platform !== "linux") return;
  const value = read();
  if (value === "1") return;
  logger.warn(
    `net.ipv4.tcp_migrate_req is ${value ?? "unavailable"}: connections queued on a worker that stops ` +
      `may be reset during reloads. Fix: sysctl -w net.ipv4.tcp_migrate_req=1` +
      (workers > 1 ? "" : " (matters for reloads even with one worker)"),
  );
}

function readMigrateSetting(): string | undefined {
  try {
    return readFileSync("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").trim();
  } catch {
    return undefined;
  }
}
