import { rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { WORKER_SPEC_ENV, type WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { LskyError } from "../errors.ts";
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
import { hostNotes, hostNotesLine } from "./host-notes.ts";
import type { Watcher } from "./watch.ts";
import { startWatching } from "./dev-watch.ts";

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
  const controlPaths = [controlPathForDir(process.cwd()), ...(port ? [controlPathForPort(port)] : [])];
  const control: Server[] = await startControlServer(controlPaths, (command) => onControl(command));
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
      closeControlServers(control, controlPaths);
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

  // quick: a --watch reload swaps each worker as soon as its replacement is
  // ready, with no drain period meant for production traffic.
  const reload = async (quick = false) => {
    logger.info("reloading workers");
    const started = Date.now();
    systemd.reloading();
    try {
      await pool.reload({ quick });
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

  const notes = hostNotesLine(hostNotes({ settings, engine: currentEngine(), socketsOnly: plan.socketPaths.length > 0 }));
  if (notes) logger.warn(notes);
  if (admin) logger.info(`admin listener (metrics, healthz, readyz) at http://${settings.admin}`);
  stopReaping = await startPid1Duties((pid) => pool.findByPid(pid) !== undefined, logger);
  watcher = settings.watch ? startWatching(entry, settings, logger, () => reload(true)) : undefined;
  logger.info(
    `lsky ${VERSION} serving ${info.app} at ${describeListen(settings, plan)} on ${info.engine} ${info.engineVersion} ` +
      `with ${settings.workers} worker${settings.workers === 1 ? "" : "s"} (supervisor pid ${process.pid})`,
  );

  systemd.ready(readyStatus);

  await finished;
  return exitCode;
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
