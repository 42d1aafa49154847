import { rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Server } from "node:net";
import { WORKER_SPEC_ENV, type WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { LskyError } from "../errors.ts";
import { engineGapWarning } from "../limits/engine-gaps.ts";
import { watchLauncher } from "./launcher-watch.ts";
import { logger, workerLineFormatter } from "../log.ts";
import { currentEngine, currentEngineVersion } from "../runtime/detect.ts";
import { spawnWorkerProcess } from "../runtime/spawn-worker.ts";
import { VERSION } from "../version.ts";
import { embeddedApp } from "../app/embedded.ts";
import { parseAdminAddress } from "../config/admin-address.ts";
import { startAdminServer } from "./admin-server.ts";
import { startBusServer } from "./bus-server.ts";
import { MetricsAggregator } from "./metrics-aggregator.ts";
import { closeControlServers, type ControlCommand, startControlServer } from "./control-server.ts";
import { claimControlSocketOrFail } from "./control-probe.ts";
import { pipeLines } from "./log-lines.ts";
import { MessageRouter } from "./message-router.ts";
import { busPath, controlPathForDir, controlPathForPort } from "./paths.ts";
import { WorkerPool } from "./pool.ts";
import { createSystemdNotifier } from "./systemd.ts";
import { claimListeners, describeListen } from "./edge-settings.ts";
import { DEFAULT_RESTART_POLICY } from "./restart-policy.ts";
import { collectStatus, type SupervisorInfo } from "./status.ts";
import { WorkerHandle } from "./worker-handle.ts";
import { startPid1Duties } from "./pid1.ts";
import { warnAboutPortSharing } from "./port-sharing.ts";
import { type Watcher, watchDirectory } from "./watch.ts";

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
  const plan = await claimListeners(settings, currentEngine());
  // Before any worker starts: another live server in this directory is an error, not replaced.
  await claimControlSocketOrFail(controlPathForDir(process.cwd()));
  const port = plan.port;
  const bus = busPath(process.pid);
  const spec: Omit<WorkerSpec, "slot"> = { entry, port, busPath: bus, settings };
  let exitCode = 0;
  const systemd = createSystemdNotifier(process.env, logger);
  let stopping: Promise<void> | undefined;
  let watcher: Watcher | undefined;
  let stopReaping = () => {};
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const metrics = new MetricsAggregator();
  const pool: WorkerPool = new WorkerPool({
    size: settings.workers,
    bootTimeout: settings.bootTimeout,
    drainDeadline: settings.drainDelay + settings.gracePeriod + KILL_MARGIN_MS,
    ttl: settings.ttl,
    heartbeatTimeout: settings.heartbeatTimeout,
    policy: DEFAULT_RESTART_POLICY,
    log: logger,
    launch: (slot) => launchWorker({ ...spec, slot }),
    onWorkerExit: (worker, record) => metrics.onWorkerExit(worker, record),
    onFatal: (error) => {
      printFatal(error);
      exitCode = exitStatusOf(error);
      void stop();
    },
  });
  const router = new MessageRouter();
  const busServer = await startBusServer(bus, {
    findWorker: (pid) => pool.findByPid(pid),
    onMessage: (worker, message) => {
      pool.onMessage(worker, message);
      router.onMessage(worker, message);
    },
  });
  const cleanupBus = () => {
    busServer.close();
    rmSync(bus, { force: true });
    for (const path of plan.socketPaths) rmSync(path, { force: true });
  };

  try {
    await pool.start();
  } catch (error) {
    cleanupBus();
    throw error;
  }

  const info: SupervisorInfo = {
    version: VERSION, engine: currentEngine(), engineVersion: currentEngineVersion(),
    app: entry ?? embeddedApp()?.label ?? "(built-in app)", startedAt: Date.now(), port,
    // On a Unix socket, status shows the socket path(s) where host:port would be.
    host: plan.socketPaths.length ? `unix:${plan.socketPaths.join(",")}` : settings.host,
  };
  const readyStatus = `Serving ${info.app} at ${describeListen(settings, plan)} with ${settings.workers} worker${settings.workers === 1 ? "" : "s"}`;
  const controlPaths = { dir: controlPathForDir(process.cwd()), port: port ? controlPathForPort(port) : undefined };
  let control: Server[];
  try {
    control = await startControlServer(controlPaths, (command) => onControl(command));
  } catch (error) {
    // Another server took the directory while the workers booted.
    await pool.stop();
    cleanupBus();
    throw error;
  }
  if (settings.pidFile) writeFileSync(settings.pidFile, `${process.pid}\n`);
  const admin = settings.admin
    ? await startAdminServer(parseAdminAddress(settings.admin), pool, metrics, info.startedAt)
    : undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("stopping: draining workers");
      systemd.stopping();
      watcher?.close();
      stopReaping();
      closeControlServers(control);
      admin?.forceClose();
      await pool.stop();
      cleanupBus();
      if (settings.pidFile) rmSync(settings.pidFile, { force: true });
      await systemd.flush();
      logger.info("stopped");
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
    systemd.reloading();
    try {
      await pool.reload();
    } finally {
      systemd.ready(readyStatus);
    }
    logger.info(`reload finished in ${Date.now() - started} ms`);
    return { reloaded: settings.workers, ms: Date.now() - started };
  };

  installSignals({
    stop: () => void stop(),
    force: () => {
      logger.warn("second signal: forcing exit");
      for (const worker of pool.workers()) worker.kill("SIGKILL");
      // The first signal already closed the control sockets; leave nothing else behind.
      cleanupBus();
      if (settings.pidFile) rmSync(settings.pidFile, { force: true });
      exitCode = 1;
      finish();
    },
    reload: () => void reload().catch((error: Error) => logger.error(`reload failed: ${error.message}`)),
  });
  watchLauncher(process.env, () => {
    logger.warn("the launcher that started this supervisor is gone: stopping");
    void stop();
  });

  if (plan.socketPaths.length === 0) warnAboutPortSharing(settings.workers, currentEngine());
  const gap = engineGapWarning(currentEngine(), settings);
  if (gap) logger.warn(gap);
  if (admin) logger.info(`admin listener (metrics, healthz, readyz) at http://${settings.admin}`);
  stopReaping = await startPid1Duties((pid) => pool.findByPid(pid) !== undefined, logger);
  watcher = settings.watch ? startWatching(entry, () => void reload().catch((error: Error) => {
    logger.error(`reload failed: ${error.message}`);
  })) : undefined;
  logger.info(
    `lsky ${VERSION} serving ${info.app} at ${describeListen(settings, plan)} on ${info.engine} ${info.engineVersion} ` +
      `with ${settings.workers} worker${settings.workers === 1 ? "" : "s"} (supervisor pid ${process.pid})`,
  );

  systemd.ready(readyStatus);

  await finished;
  return exitCode;
}

/** --watch: reloads the workers when a file in the app's directory changes. */
function startWatching(entry: string | undefined, reload: () => void): Watcher | undefined {
  if (!entry) {
    logger.warn("--watch needs an app entry; the built-in app is not watched");
    return undefined;
  }
  const dir = dirname(resolve(entry));
  const watcher = watchDirectory(dir, (path) => {
    logger.info(`${path} changed: reloading`);
    reload();
  });
  logger.info(`watching ${dir} for changes (${watcher.mode}; ignoring node_modules, .git, dist)`);
  return watcher;
}

function launchWorker(spec: WorkerSpec): WorkerHandle {
  // Worker output goes through a pipe; engines that colour their errors
  // regardless (Deno) are asked not to unless lsky itself writes to a terminal.
  const colour: Record<string, string> = process.stderr.isTTY ? {} : { NO_COLOR: "1" };
  const child = spawnWorkerProcess({ [WORKER_SPEC_ENV]: JSON.stringify(spec), ...colour });
  pipeLines(child.stdout, process.stdout, workerLineFormatter(spec.slot, "stdout"));
  pipeLines(child.stderr, process.stderr, workerLineFormatter(spec.slot, "stderr"));
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
    logger.error(error.message, error.hint ? { hint: error.hint } : undefined);
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
