import { WORKER_SPEC_ENV, type WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { workerLineFormatter } from "../log.ts";
import { spawnWorkerProcess } from "../runtime/spawn-worker.ts";
import { type Relay, relayChildOutput } from "./http-kind.ts";
import { workerColourEnv } from "./worker-colour.ts";
import { DEFAULT_RESTART_POLICY } from "./restart-policy.ts";
import { WorkerHandle } from "./worker-handle.ts";
import type { DrainRequest, WorkerKind } from "./worker-kind.ts";

// Beyond the grace period, how long a draining task worker has to exit before SIGKILL.
const KILL_MARGIN_MS = 2000;

/**
 * The task worker (docs/TASKS.md): lsky in the task-worker role. It loads the
 * app and runs onWorkerStart like an HTTP worker but never listens, so one is
 * replaced after the old one left (no port to share); its output lines are
 * labelled [t1], [t2]…
 */
export function taskWorkerKind(settings: ServeSettings, spec: Omit<WorkerSpec, "slot">, relay: Relay): WorkerKind {
  return {
    name: "task",
    launch: (slot) => launchTaskWorker({ ...spec, slot, role: "task" }, relay),
    readiness: "announced",
    bootTimeout: settings.bootTimeout,
    sharesPort: false,
    policy: DEFAULT_RESTART_POLICY,
    ttl: 0,
    // A task may keep its worker's event loop busy for long: the queue's timeouts watch tasks instead.
    heartbeatTimeout: 0,
    drainDeadline: settings.gracePeriod + KILL_MARGIN_MS,
    drain: (worker: WorkerHandle, { from }: DrainRequest) => {
      if (from === "starting") worker.kill("SIGTERM");
      worker.send({ type: "drain" });
    },
  };
}

function launchTaskWorker(spec: WorkerSpec, relay: Relay): WorkerHandle {
  const child = spawnWorkerProcess({ [WORKER_SPEC_ENV]: JSON.stringify(spec), ...workerColourEnv() }, spec.entry);
  relayChildOutput(child, relay, (stream) => workerLineFormatter(spec.slot, stream, "t"));
  return new WorkerHandle(spec.slot, child);
}
