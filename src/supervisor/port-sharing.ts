import { readFileSync } from "node:fs";
import type { Engine } from "../runtime/types.ts";

export interface PortSharingFacts {
  platform: NodeJS.Platform;
  /** The value of net.ipv4.tcp_migrate_req, undefined when it cannot be read. */
  migrateReq(): string | undefined;
}

const THIS_MACHINE: PortSharingFacts = { platform: process.platform, migrateReq: readMigrateSetting };

/**
 * What lsky says at start about how its workers share the port, or nothing.
 * Node workers share one listener through cluster, so neither point applies.
 * - Only Linux balances connections across SO_REUSEPORT listeners of
 *   different processes; elsewhere (macOS, BSDs without SO_REUSEPORT_LB) one
 *   worker would get every connection.
 * - Closing a SO_REUSEPORT listener resets the connections still queued on
 *   it; Linux 5.14+ moves them to the other listeners when
 *   net.ipv4.tcp_migrate_req is 1. lsky's drain (Connection: close, then a
 *   quiet wait) covers keep-alive clients, but under a storm of new
 *   connections a few are still reset per reload (measured in
 *   test/faults/reload-storm.test.ts), so it is a warning with the fix.
 */
export interface PortSharingNote {
  level: "warn" | "info";
  text: string;
}

export function portSharingNotes(workers: number, engine: Engine, facts: PortSharingFacts = THIS_MACHINE): PortSharingNote[] {
  if (engine === "node") return [];
  if (facts.platform !== "linux") {
    return workers > 1
      ? [{ level: "warn", text: `${facts.platform} does not balance a shared port (SO_REUSEPORT) between processes: ` +
        `of the ${workers} workers, one may get every connection. Use --runtime node (cluster) or run one worker per port behind a proxy` }]
      : [];
  }
  const value = facts.migrateReq();
  if (value === "1") return [];
  return [{
    level: "warn",
    text: `net.ipv4.tcp_migrate_req is ${value ?? "unavailable"}: during reloads and recycling, new connections queued on ` +
      "a stopping worker can be reset. Fix: sysctl -w net.ipv4.tcp_migrate_req=1",
  }];
}

export function readMigrateSetting(): string | undefined {
  try {
    return readFileSync("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").trim();
  } catch {
    return undefined;
  }
}
