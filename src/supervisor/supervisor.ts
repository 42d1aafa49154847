import { rmSync, writeFileSync } from "node:fs";
import { staticFirstNote } from "../app/start-notes.ts";
import type { Server } from "node:net";
import type { WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { LskyError } from "../errors.ts";
import { watchLauncher } from "./launcher-watch.ts";
import { droppedLogLines, flushOutput, logger, useBoundedOutput } from "../log.ts";
import { currentEngine, currentEngineVersion } from "../runtime/detect.ts";
import { VERSION } from "../version.ts";
import { embeddedApp } from "../app/embedded.ts";
import { parseAdminAddress } from "../config/admin-address.ts";
import { startAdminServer } from "./admin-server.ts";
import { startBusServer } from "./bus-server.ts";
import { MetricsAggregator } from "./metrics-aggregator.ts";
import { closeControlServers, type ControlCommand, startControlServer } from "./control-server.ts";
import { claimControlSocketOrFail } from "./control-probe.ts";
import { MessageRouter } from "./message-router.ts";
import { busPath, controlPathForDir, controlPathForPort } from "./paths.ts";
import { WorkerPool } from "./pool.ts";
import { BootSignals, installSignals } from "./signals.ts";
import { monotonicNow } from "./clock.ts";
import { createSystemdNotifier } from "./systemd.ts";
import { claimListeners, describeListen } from "./edge-settings.ts";
import { httpWorkerKind, type Relay } from "./http-kind.ts";
import { collectStatus, type SupervisorInfo } from "./status.ts";
import { startPid1Duties } from "./pid1.ts";
import { hostNotes, hostNotesLine } from "./host-notes.ts";
import type { Watcher } from "./watch.ts";
import { startWatching } from "./dev-watch.ts";
import type { SettingSource } from "../config/resolve.ts";
import { startDashboard } from "../dashboard/start.ts";

export interface SupervisorOptions {
  settings: ServeSettings;
  entry?: string;
  /** Where each setting came from, for the dashboard (default when absent). */
  sources?: Partial<Record<keyof ServeSettings, SettingSource>>;
  configFile?: string;
}

// At exit, how long to wait for the workers' output pipes to close (a
// grandchild may hold one open) and then for lsky's own output to be written.
const OUTPUT_CLOSE_MS = 2000;

/**
 * Runs the supervisor: claims the port, starts the pool, answers the control
 * socket and signals, and resolves with the exit code once everything stopped.
 */
export async function runSupervisor({ settings, entry, sources = {}, configFile }: SupervisorOptions): Promise<number> {
  const outputs = useBoundedOutput(settings.logBuffer);
  const relay: Relay = { ...outputs, open: new Set() };
  const boot = new BootSignals(logger);
  const signals = installSignals(boot);
  const plan = await claimListeners(settings, currentEngine());
  // Before any worker starts: another live server in this directory is an error, not replaced.
  await claimControlSocketOrFail(controlPathForDir(process.cwd()));
  const port = plan.port;
  const bus = busPath(process.pid);
  // Workers run the app's code: they have no use for the admin token.
  const spec: Omit<WorkerSpec, "slot"> = { entry, port, busPath: bus, settings: { ...settings, adminToken: "" } };
  let exitCode = 0;
  const systemd = createSystemdNotifier(process.env, logger);
  let stopping: Promise<void> | undefined;
  let watcher: Watcher | undefined;
  let stopReaping = () => {};
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const metrics = new MetricsAggregator(() => ({ logLines: droppedLogLines(), busMessages: busServer.droppedMessages() }));
  const pool: WorkerPool = new WorkerPool({
    size: settings.workers,
    kind: httpWorkerKind(settings, spec, relay),
    log: logger,
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
    queueLimit: settings.busQueueLimit,
    log: logger,
  });
  boot.pool = pool;
  const cleanupBus = () => {
    busServer.server.close();
    rmSync(bus, { force: true });
    for (const path of plan.socketPaths) rmSync(path, { force: true });
  };

  // A stop signal before this point (claiming the port) stops the pool before it starts.
  if (signals.stopped) void pool.stop();
  try {
    await pool.start();
  } catch (error) {
    // A worker stopped by the signal "fails" its boot; any other failure is the app's.
    if (!signals.stopped) {
      cleanupBus();
      throw error;
    }
  }
  if (signals.stopped) {
    cleanupBus();
    logger.info("stopped");
    return boot.forced ? 1 : 0;
  }

  const info: SupervisorInfo = {
    version: VERSION, engine: currentEngine(), engineVersion: currentEngineVersion(),
    app: entry ?? embeddedApp()?.label ?? "(built-in app)", startedAt: monotonicNow(), port,
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
  const dashboard = settings.admin
    ? startDashboard(
      { pool, metrics, info, listen: describeListen(settings, plan), settings, sources, configFile },
      { reload: () => reload(), replaceWorker: (slot) => pool.replaceWorker(slot) },
      (message) => logger.info(message),
    )
    : undefined;
  const admin = settings.admin
    ? await startAdminServer(parseAdminAddress(settings.admin), pool, metrics, info.startedAt, dashboard?.routes)
    : undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("stopping: draining workers");
      systemd.stopping();
      watcher?.close();
      stopReaping();
      closeControlServers(control);
      dashboard?.stop();
      admin?.forceClose();
      await pool.stop();
      cleanupBus();
      if (settings.pidFile) rmSync(settings.pidFile, { force: true });
      await systemd.flush();
      // The last lines a worker wrote (its goodbye, an error) are read before lsky exits.
      await settleWithin(Promise.all(relay.open), OUTPUT_CLOSE_MS);
      logger.info("stopped");
      await flushOutput(OUTPUT_CLOSE_MS);
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
    metrics.recordEvent("reload", quick ? "reload (watch)" : "reload");
    const started = monotonicNow();
    systemd.reloading();
    try {
      await pool.reload({ quick });
    } finally {
      systemd.ready(readyStatus);
    }
    const ms = Math.round(monotonicNow() - started);
    logger.info(`reload finished in ${ms} ms`);
    return { reloaded: settings.workers, ms };
  };

  // A stop signal during the set-up above already stopped the pool: finish the stop.
  if (signals.stopped) void stop();
  signals.use({
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
  const staticNote = staticFirstNote(settings.static, entry);
  if (staticNote) logger.info(staticNote);
  if (admin) logger.info(`admin listener (dashboard, metrics, healthz, readyz) at http://${settings.admin}`);
  if (dashboard) logger.info(dashboard.banner);
  stopReaping = await startPid1Duties((pid) => pool.findByPid(pid) !== undefined, logger);
  watcher = settings.watch ? startWatching(entry, settings, logger, () => reload(true)) : undefined;
  logger.info(
    `lsky ${VERSION} serving ${info.app} at ${describeListen(settings, plan)} on ${info.engine} ${info.engineVersion} ` +
      `with ${settings.workers} worker${settings.workers === 1 ? "" : "s"} (supervisor pid ${process.pid})`,
  );

  systemd.ready(readyStatus);
  if (boot.reloadWhenReady) void reload().catch((error: Error) => logger.error(`reload failed: ${error.message}`));

  await finished;
  return exitCode;
}

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.finally(() => (clearTimeout(timer), resolve()));
  });
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
