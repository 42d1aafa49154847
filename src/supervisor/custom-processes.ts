import type { ProcessReloadMode, ProcessSpec } from "../config/process-config.ts";
import type { Logger } from "../log.ts";
import type { ProcessGroupStatus } from "../metrics/custom-process-metrics.ts";
import { WorkerPool } from "./pool.ts";
import { customProcessKind, type ProcessKindContext } from "./process-kind.ts";
import type { ReloadMode, SidePools } from "./side-pools.ts";

export const PROCESS_POOL_PREFIX = "process:";

/**
 * Adds one side pool per custom process to the run (docs/PROCESSES.md):
 * started with the HTTP pool, reloaded after it as its reload mode says,
 * stopped after it. A process that keeps failing is given up on, logged and
 * shown as such; the server goes on. Returns their rows for /metrics.
 */
export function installCustomProcesses(
  specs: readonly ProcessSpec[], sidePools: SidePools, context: ProcessKindContext, log: Logger,
): () => ProcessGroupStatus[] {
  const pools = specs.map((spec) => {
    const label = instanceLabel(spec);
    const pool = new WorkerPool({
      size: spec.instances,
      kind: customProcessKind(spec, context),
      log: prefixedLogger(log, label),
      keepGoing: true,
      onFatal: (error) => log.error(`${label(1).replace(/ instance \d+$/, "")} given up: ${error.message.replace(/^Worker \d+ /, "it ")}`, {
        hint: `It stays stopped until the server is reloaded or restarted; the HTTP workers go on. Its own output above shows why it exited (restart rule: ${spec.maxRestarts} restarts of runs shorter than ${spec.minUptime} ms)`,
      }),
    });
    sidePools.add(`${PROCESS_POOL_PREFIX}${spec.name}`, pool, reloadModeOf(spec.reload, spec.reloadSignal));
    return { spec, pool };
  });
  return () => pools.map(({ spec, pool }) => ({
    name: spec.name,
    instances: spec.instances,
    up: pool.readyCount(),
    givenUp: pool.slots.filter((slot) => slot.givenUp && !slot.worker).length,
    restarts: pool.slots.reduce((sum, slot) => sum + slot.restarts, 0),
  }));
}

function reloadModeOf(mode: ProcessReloadMode, signal: NodeJS.Signals): ReloadMode {
  return mode === "restart" ? "replace" : mode === "none" ? "none" : { signal };
}

function instanceLabel(spec: ProcessSpec): (slot: number) => string {
  return (slot) => `process "${spec.name}"${spec.instances > 1 ? ` instance ${slot}` : ""}`;
}

/** The pool's lines speak of "worker N"; for a custom process they name it instead. */
function prefixedLogger(log: Logger, label: (slot: number) => string): Logger {
  const rename = (message: string) => message.replace(/^(?:cannot start )?worker (\d+)/i, (whole, slot: string) =>
    whole.toLowerCase().startsWith("cannot") ? `cannot start ${label(Number(slot))}` : label(Number(slot)));
  return {
    info: (message, fields) => log.info(rename(message), fields),
    warn: (message, fields) => log.warn(rename(message), fields),
    error: (message, fields) => log.error(rename(message), fields),
  };
}
