import type { LskyBus } from "../bus/app-api.ts";
import type { WorkerSpec } from "../bus/protocol.ts";
import { installSocketsGlobal } from "../websocket/facade.ts";
import { SocketHub } from "../websocket/host.ts";
import { joinPool } from "../websocket/pool.ts";
import type { ContextSockets } from "./request-context.ts";

// Tells this worker from an earlier one in the same slot (a replacement
// inherits the slot number): its pid and start time, so a stale id can never
// name a connection of a later worker, even if the pid comes back.
const INCARNATION = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/**
 * The worker's WebSockets, joined to the pool over the bus and reachable as
 * `sockets` from "lsky" before the app module loads.
 */
export function startSockets(spec: WorkerSpec, bus: LskyBus): ContextSockets {
  const hub = new SocketHub({
    workerId: spec.slot,
    incarnation: INCARNATION,
    // The supervisor resolved the name: the same in every worker of this server.
    node: spec.settings.clusterRedis ? spec.settings.clusterNode : undefined,
    policy: spec.settings,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const sockets = joinPool(hub, bus);
  installSocketsGlobal(sockets);
  return { hub, sockets };
}
