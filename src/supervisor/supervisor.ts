import { rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { WORKER_SPEC_ENV, type WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { LskyError } from "../errors.ts";
import { engineGapWarning } from "../limits/engine-gaps.ts";
import { logger } from "../log.ts";
import { currentEngine, currentEngineVersion } from "../runtime/detect.ts";
import { spawnWorkerProcess } from "../runtime/spawn-worker.ts";
import { VERSION } from "../version.ts";
import { startBusServer } from "./bus-server.ts";
import { closeControlServers, type ControlCommand, startControlServer } from "./control-server.ts";
import { pipeLines } from "./log-lines.ts";
import { busPath, controlPathForDir, controlPathForPort } from "./paths.ts";
import { WorkerPool } from "./pool.ts";
import { claimPort } from "./port-check.ts";
import { DEFAULT_RESTART_POLICY } from "./restart-policy.ts";
import { collectStatus, type SupervisorInfo } from "./status.ts";
import { WorkerHandle } from "./worker-handle.ts";
import { warnAboutPortSharing } from "./port-sharing.ts";

export interface SupervisorOptions {
  settings: ServeSettings;
  entry?: string;
}

// Beyond the grace period, how long a draining worker has to exit before SIGKILL.
const KILL_MARGIN_MS = 2000;

/**
 * Runs the supervisor: claims the port, starts the pool, answers the control
 * socket and signals, and resolves with the exit code once everything stopped.
 */
export async function runSupervisor({ settings, entry }: SupervisorOptions): Promise<number> {
  const port = await claimPort(settings.host, settings.port);
  const bus = busPath(process.pid);
  const spec: Omit<WorkerSpec, "slot"> = { entry, port, busPath: bus, settings };
  let exitCode = 0;
  let stopping: Promise<void> | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const pool: WorkerPool = new WorkerPool({
    size: settings.workers,
    bootTimeout: settings.bootTimeout,
    drainDeadline: settings.drainDelay + settings.gracePeriod + KILL_MARGIN_MS,
    ttl: settings.ttl,
    heartbeatTimeout: settings.heartbeatTimeout,
    policy: DEFAULT_RESTART_POLICY,
    log: logger,
    launch: (slot) => launchWorker({ ...spec, slot }),
    onFatal: (error) => {
      printFatal(error);
      exitCode = exitStatusOf(error);
      void stop();
    },
  });
  const busServer = await startBusServer(bus, {
    findWorker: (pid) => pool.findByPid(pid),
    onMessage: (worker, message) => pool.onMessage(worker, message),
  });
  const cleanupBus = () => {
    busServer.close();
    rmSync(bus, { force: true });
  };

  try {
    await pool.start();
  } catch (error) {
    cleanupBus();
    throw error;
  }

  const info: SupervisorInfo = {
    version: VERSION, engine: currentEngine(), engineVersion: currentEngineVersion(),
    app: entry ?? "(built-in app)", host: settings.host, port, startedAt: Date.now(),
  };
  const controlPaths = [controlPathForDir(process.cwd()), controlPathForPort(port)];
  const control: Server[] = await startControlServer(controlPaths, (command) => onControl(command));
  if (settings.pidFile) writeFileSync(settings.pidFile, `${process.pid}\n`);

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("stopping: draining workers");
      closeControlServers(control, controlPaths);
      await pool.stop();
      cleanupBus();
      if (settings.pidFile) rmSync(settings.pidFile, { force: true });
      finish();
    })();
    return stopping;
  };

  const onControl = async (command: ControlCommand): Promise<unknown> => {
    switch (command) {
      case "status":
        return collectStatus(pool, info);
      case "reload":
        return reload();
      case "stop":
        setImmediate(() => void stop());
        return { stopping: true };
    }
  };

  const reload = async () => {
    logger.info("reloading workers");
    const started = Date.now();
    await pool.reload();
    logger.info(`reload finished in ${Date.now() - started} ms`);
    return { reloaded: settings.workers, ms: Date.now() - started };
  };

  installSignals({
    stop: () => void stop(),
    force: () => {
      logger.warn("second signal: forcing exit");
      for (const worker of pool.workers()) worker.kill("SIGKILL");
      exitCode = 1;
      finish();
    },
    reload: () => void reload().catch((error: Error) => logger.error(`reload failed: ${error.message}`)),
  });

  warnAboutPortSharing(settings.workers, currentEngine());
  const gap = engineGapWarning(currentEngine(), settings);
  if (gap) logger.warn(gap);
  const url = `http://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${port}`;
  logger.info(
    `lsky ${VERSION} serving ${info.app} at ${url} on ${info.engine} ${info.engineVersion} ` +
      `with ${settings.workers} worker${settings.workers === 1 ? "" : "s"} (supervisor pid ${process.pid})`,
  );

  await finished;
  return exitCode;
}

function launchWorker(spec: WorkerSpec): WorkerHandle {
  // Worker output goes through a pipe; engines that colour their errors
  // regardless (Deno) are asked not to unless lsky itself writes to a terminal.
  const colour: Record<string, string> = process.stderr.isTTY ? {} : { NO_COLOR: "1" };
  const child = spawnWorkerProcess({ [WORKER_SPEC_ENV]: JSON.stringify(spec), ...colour });
  const label = `[w${spec.slot}]`;
  pipeLines(child.stdout, process.stdout, label);
  pipeLines(child.stderr, process.stderr, label);
  return new WorkerHandle(spec.slot, child);
}

interface SignalActions {
  stop(): void;
  force(): void;
  reload(): void;
}

function installSignals(actions: SignalActions): void {
  let signalled = false;
  const onStopSignal = () => {
    if (signalled) return actions.force();
    signalled = true;
    actions.stop();
  };
  process.on("SIGTERM", onStopSignal);
  process.on("SIGINT", onStopSignal);
  process.on("SIGHUP", () => actions.reload());
}

export function exitStatusOf(error: unknown): number {
  const status = (error as { exitStatus?: number }).exitStatus;
  if (typeof status === "number") return status;
  return error instanceof LskyError ? error.exitCode : 1;
}

export function printFatal(error: unknown): void {
  if (error instanceof LskyError) {
    logger.error(error.message);
    if (error.hint) process.stderr.write(`${error.hint}\n`);
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
