import { PROCESS_SPEC_ENV, type ProcessRoleSpec } from "../bus/protocol.ts";
import type { ProcessSpec } from "../config/process-config.ts";
import { processLineFormatter } from "../log.ts";
import { spawnCommand, spawnProcessRole, type WorkerProcess } from "../runtime/spawn-worker.ts";
import { type Relay, relayChildOutput } from "./http-kind.ts";
import type { RestartPolicy } from "./restart-policy.ts";
import { WorkerHandle } from "./worker-handle.ts";
import { workerColourEnv } from "./worker-colour.ts";
import type { DrainRequest, WorkerKind } from "./worker-kind.ts";

// Beyond the stop timeout a module process applies to stop(ctx) itself, how long before SIGKILL.
const KILL_MARGIN_MS = 1000;

export interface ProcessKindContext {
  busPath: string;
  /** A module process not ready (start(ctx) not returned) this long after launch is a boot failure. */
  bootTimeout: number;
  logFormat: ProcessRoleSpec["logFormat"];
  taskPayloadLimit: number;
  relay: Relay;
}

/** PM2's rule: a process that ran less than minUptime failed unstably; maxRestarts such failures in a row and it is given up. */
export function processRestartPolicy(spec: ProcessSpec): RestartPolicy {
  return {
    initialDelay: spec.restartDelay,
    maxDelay: Math.max(spec.restartDelay, spec.maxRestartDelay),
    stablePeriod: spec.minUptime,
    maxFailures: spec.maxRestarts + 1,
  };
}

/**
 * A custom process (docs/PROCESSES.md). A module process is lsky in the
 * `__process` role, ready once start(ctx) returned, drained over the bus
 * (stop(ctx), bounded by its stop timeout). A command process is spawned as
 * given, ready once it runs, and stopped by its stop signal. Both are one
 * process per slot (no shared port): a restart stops the old one first.
 */
export function customProcessKind(spec: ProcessSpec, context: ProcessKindContext): WorkerKind {
  const isModule = spec.module !== undefined;
  return {
    name: `process:${spec.name}`,
    launch: (slot) => {
      const handle = new WorkerHandle(slot, relayOutput(spec.name, slot, launchProcess(spec, slot, context), context.relay));
      handle.addressable = false;
      return handle;
    },
    readiness: isModule ? "announced" : "started",
    bootTimeout: context.bootTimeout,
    sharesPort: false,
    policy: processRestartPolicy(spec),
    ttl: 0,
    heartbeatTimeout: 0,
    drainDeadline: spec.stopTimeout + (isModule ? KILL_MARGIN_MS : 0),
    drain: (worker, request) => drainProcess(spec, worker, request),
  };
}

function launchProcess(spec: ProcessSpec, slot: number, context: ProcessKindContext): WorkerProcess {
  const env = { ...spec.env, LSKY_PROCESS_NAME: spec.name, LSKY_PROCESS_INSTANCE: String(slot) };
  if (!spec.module) return spawnCommand(spec.command!, spec.cwd, env);
  const role: ProcessRoleSpec = {
    name: spec.name, slot, module: spec.module, busPath: context.busPath, stopTimeout: spec.stopTimeout, logFormat: context.logFormat, taskPayloadLimit: context.taskPayloadLimit,
  };
  return spawnProcessRole({ ...env, ...workerColourEnv(), [PROCESS_SPEC_ENV]: JSON.stringify(role) }, spec.module);
}

/** Every line the process writes, whole, prefixed with its name (and instance when there are several). */
function relayOutput(name: string, slot: number, child: WorkerProcess, relay: Relay): WorkerProcess {
  relayChildOutput(child, relay, (stream) => processLineFormatter(name, slot, stream));
  return child;
}

/**
 * A module process still starting may not be on the bus yet: its stop
 * signal stops it (the role runs stop(ctx) on SIGTERM too). A command
 * process gets its stop signal; SIGKILL follows at the deadline.
 */
function drainProcess(spec: ProcessSpec, worker: WorkerHandle, { from }: DrainRequest): void {
  if (!spec.module) return worker.kill(spec.stopSignal);
  if (from === "starting" || !worker.send({ type: "drain" })) worker.kill("SIGTERM");
}
