import { rmSync, writeFileSync } from "node:fs";
import { staticFirstNote } from "../app/start-notes.ts";
import type { WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { exitStatusOf, printFatal } from "../fatal.ts";
import { watchLauncher } from "./launcher-watch.ts";
import { droppedLogLines, flushOutput, logger, useBoundedOutput } from "../log.ts";
import { currentEngine, currentEngineVersion } from "../runtime/detect.ts";
import { VERSION } from "../version.ts";
import { embeddedApp } from "../app/embedded.ts";
import { parseAdminAddress } from "../config/admin-address.ts";
import { startAdminServer } from "./admin-server.ts";
import { startBusServer } from "./bus-server.ts";
import { MetricsAggregator } from "./metrics-aggregator.ts";
import { type ControlCommand, installControlServer } from "./control-server.ts";
import { claimControlSocketOrFail } from "./control-probe.ts";
import { MessageRouter } from "./message-router.ts";
import { busPath, controlPathForDir } from "../paths.ts";
import { scheduleStaleSocketSweep } from "./stale-sockets.ts";
import { WorkerPool } from "./pool.ts";
import { SidePools } from "./side-pools.ts";
import { BootSignals, installSignals as installSignalHandlers, type SignalRouter } from "./signals.ts";
import { monotonicNow } from "../clock.ts";
import { createSystemdNotifier, type SystemdNotifier } from "./systemd.ts";
import { claimListeners, describeListen, type ListenPlan } from "./edge-settings.ts";
import { httpWorkerKind, type Relay } from "./http-kind.ts";
import { spareWorkersFor } from "./spare-workers.ts";
import { Teardown } from "./teardown.ts";
import { collectStatus, describeListeners, type SupervisorInfo } from "./status.ts";
import { startPid1Duties } from "./pid1.ts";
import { hostNotes, hostNotesLine } from "./host-notes.ts";
import { startWatching } from "./dev-watch.ts";
import { refreshAppBundle } from "./app-bundle.ts";
import type { SettingSource } from "../config/resolve.ts";
import { PoolScheduler } from "../scheduler/pool-scheduler.ts";
import { TaskService } from "./task-service.ts";
import { routeMessage } from "./route-message.ts";
import { CACHE_SWEEP_MS, SharedStore } from "../store/shared-store.ts";
import type { ProcessSpec } from "../config/process-config.ts";
import { installCustomProcesses } from "./custom-processes.ts";
import { type ClusterMember, joinCluster } from "./cluster.ts";
import { clusterStatus, wireClusterBus } from "./cluster-bus-wiring.ts";
import type { ClusterBus } from "../cluster/cluster-bus.ts";
import { scheduleLocksFor } from "./cluster-schedule.ts";

export interface SupervisorOptions {
  settings: ServeSettings;
  entry?: string;
  /** Where each setting came from, for the dashboard (default when absent). */
  sources?: Partial<Record<keyof ServeSettings, SettingSource>>;
  configFile?: string;
  /** Custom processes from the config file (docs/PROCESSES.md). */
  processes?: readonly ProcessSpec[];
}

// At exit, how long to wait for the workers' output pipes to close (a
// grandchild may hold one open) and then for lsky's own output to be written.
const OUTPUT_CLOSE_MS = 2000;

/** What one supervisor run holds: set up in order, undone by its teardown. */
interface Run {
  settings: ServeSettings;
  entry?: string;
  relay: Relay;
  boot: BootSignals;
  signals: SignalRouter;
  plan: ListenPlan;
  pool: WorkerPool;
  /** Task workers, custom processes: started with the HTTP pool, reloaded and stopped after it. */
  sidePools: SidePools;
  metrics: MetricsAggregator;
  /** Runs each scheduled job once per tick in the pool (docs/SCHEDULE.md). */
  scheduler: PoolScheduler;
  /** Task workers and their queue (docs/TASKS.md). */
  tasks: TaskService;
  /** The shared tables and cache (docs/TABLES.md): kept across reloads, gone at stop. */
  store: SharedStore;
  /** This server's membership of a cluster on Redis (--cluster-redis), if any. */
  cluster?: ClusterMember;
  /** Carries bus publishes and requests to the other nodes (with `cluster`). */
  clusterBus?: ClusterBus;
  systemd: SystemdNotifier;
  /** Prepares what every worker of a start or reload loads (app-bundle.ts). */
  refreshApp(): Promise<void>;
  teardown: Teardown;
  exitCode: number;
  finished: Promise<void>;
  finish(): void;
  stopping?: Promise<void>;
}

/**
 * Runs the supervisor: claims the port, starts the pool, answers the control
 * socket and signals, and resolves with the exit code once everything stopped.
 * Each facility is an installer that adds its cleanup to the run's teardown,
 * so a stop, a forced stop and a failed start-up undo by one list.
 */
export async function runSupervisor({ settings, entry, sources = {}, configFile, processes = [] }: SupervisorOptions): Promise<number> {
  const run = await prepareRun(settings, entry);
  run.cluster = await joinCluster(settings, logger, run.teardown);
  if (run.cluster) run.scheduler.useClusterLocks(scheduleLocksFor(run.cluster, settings));
  const bus = busPath(process.pid);
  // Workers run the app's code: they have no use for the admin token.
  // The node name is resolved once here: every worker puts it in its WebSocket ids.
  const workerSettings = { ...settings, adminToken: "", clusterNode: run.cluster?.node ?? settings.clusterNode };
  const spec: Omit<WorkerSpec, "slot"> = { entry, port: run.plan.port, busPath: bus, settings: workerSettings };
  run.refreshApp = () => refreshAppBundle(spec, settings.watch);
  await run.refreshApp();
  const busServer = await installPool(run, spec, bus);
  installCacheSweep(run);
  const processRows = installCustomProcesses(processes, run.sidePools, {
    busPath: bus, bootTimeout: settings.bootTimeout, logFormat: settings.logFormat, taskPayloadLimit: settings.taskPayloadLimit, relay: run.relay,
  }, logger);
  run.metrics = new MetricsAggregator(
    () => ({ logLines: droppedLogLines(), busMessages: busServer.droppedMessages() }), logger,
    () => run.scheduler.status(), () => run.tasks.status(), () => run.store.metrics(), processRows, () => clusterRow(run),
  );
  if (!(await startPool(run))) return run.boot.forced ? 1 : 0;

  const info = supervisorInfo(run);
  const control = createControl(run, info);
  const controlPaths = await installControlServer(run.plan.port, control.onControl, run.teardown);
  scheduleStaleSocketSweep(new Set([bus, ...controlPaths]), run.teardown);
  installPidFile(run);
  const adminLines = await installAdmin(run, info, { sources, configFile }, control.reload);
  installSignals(run, control.reload);
  logStartNotes(run, adminLines);
  await installPid1(run);
  installWatch(run, control.reload);
  logServing(run, info);
  run.systemd.ready(control.readyStatus);
  if (run.boot.reloadWhenReady) void control.reload().catch((error: Error) => logger.error(`reload failed: ${error.message}`));

  await run.finished;
  return run.exitCode;
}

async function prepareRun(settings: ServeSettings, entry: string | undefined): Promise<Run> {
  const outputs = useBoundedOutput(settings.logBuffer);
  const boot = new BootSignals(logger);
  const signals = installSignalHandlers(boot);
  const plan = await claimListeners(settings, currentEngine());
  // Before any worker starts: another live server in this directory is an error, not replaced.
  await claimControlSocketOrFail(controlPathForDir(process.cwd()));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return {
    settings, entry, relay: { ...outputs, open: new Set() }, boot, signals, plan,
    pool: undefined as unknown as WorkerPool, sidePools: new SidePools(), metrics: undefined as unknown as MetricsAggregator, scheduler: new PoolScheduler({ log: logger }), tasks: undefined as unknown as TaskService,
    store: new SharedStore(settings, monotonicNow),
    systemd: createSystemdNotifier(process.env, logger), refreshApp: async () => {}, teardown: new Teardown(), exitCode: 0, finished, finish,
  };
}

/** The pool of HTTP workers and the bus they report on; the bus socket and listener paths are removed last. */
// long: the HTTP pool, the task service, the bus and their teardown steps, in the order they undo
async function installPool(run: Run, spec: Omit<WorkerSpec, "slot">, bus: string) {
  const { settings, plan } = run;
  const spares = spareWorkersFor(settings, spec.entry);
  if (spares) run.teardown.add("spare workers", () => spares.stop());
  run.pool = new WorkerPool({
    size: settings.workers,
    kind: httpWorkerKind(settings, spec, run.relay, spares),
    log: logger,
    onWorkerExit: (worker, record) => run.metrics.onWorkerExit(worker, record),
    onFatal: (error) => {
      printFatal(error);
      run.exitCode = exitStatusOf(error);
      void stopRun(run);
    },
  });
  run.tasks = new TaskService({
    settings, spec, relay: run.relay, sidePools: run.sidePools, log: logger, cluster: run.cluster,
    onWorkerExit: (worker, record) => run.metrics.onWorkerExit(worker, record),
    onFatal: (error) => {
      printFatal(error);
      run.exitCode = exitStatusOf(error);
      void stopRun(run);
    },
  });
  const router = new MessageRouter();
  if (run.cluster) run.clusterBus = wireClusterBus(run.cluster, router, logger);
  const busServer = await startBusServer(bus, {
    findWorker: (pid) => run.pool.findByPid(pid) ?? run.sidePools.findByPid(pid),
    onMessage: (worker, message) => routeMessage(run, router, worker, message),
    queueLimit: settings.busQueueLimit,
    log: logger,
  });
  run.teardown.add("bus", () => {
    busServer.server.close();
    rmSync(bus, { force: true });
    for (const path of plan.socketPaths) rmSync(path, { force: true });
  });
  // Added before the HTTP pool's, so it runs after it (newest first): a draining HTTP worker may still use them.
  run.teardown.add("side pools", (forced: boolean) => {
    if (!forced) return run.sidePools.stop();
    for (const worker of run.sidePools.workers()) worker.kill("SIGKILL");
  });
  // After the HTTP pool, before the task workers: what is queued runs while they are still there.
  run.teardown.add("task queue", (forced: boolean) => run.tasks.finish(forced ? 0 : settings.gracePeriod));
  run.teardown.add("pool", (forced: boolean) => {
    if (!forced) return run.pool.stop();
    for (const worker of run.pool.workers()) worker.kill("SIGKILL");
  });
  run.teardown.add("scheduler", () => run.scheduler.stop());
  run.boot.pool = run.pool;
  return busServer;
}

/** Removes expired cache entries nobody asked for, so they stop taking room. */
function installCacheSweep(run: Run): void {
  const sweep = setInterval(() => run.store.cache.sweep(), CACHE_SWEEP_MS);
  sweep.unref?.();
  run.teardown.add("cache sweep", () => clearInterval(sweep));
}

/** Starts the workers; false when a stop signal came meanwhile (the run is then over). */
async function startPool(run: Run): Promise<boolean> {
  const { pool, signals } = run;
  // A stop signal before this point (claiming the port) stops the pool before it starts.
  if (signals.stopped) void pool.stop();
  try {
    await Promise.all([pool.start(), run.sidePools.start()]);
  } catch (error) {
    // A worker stopped by the signal "fails" its boot; any other failure is the app's.
    if (!signals.stopped) {
      await run.teardown.run();
      throw error;
    }
  }
  if (!signals.stopped) return true;
  await run.teardown.run();
  logger.info("stopped");
  return false;
}

function supervisorInfo({ settings, entry, plan }: Run): SupervisorInfo {
  return {
    version: VERSION, engine: currentEngine(), engineVersion: currentEngineVersion(),
    app: entry ?? embeddedApp()?.label ?? "(built-in app)", startedAt: monotonicNow(), port: plan.port,
    // On a Unix socket, status shows the socket path(s) where host:port would be.
    host: plan.socketPaths.length ? `unix:${plan.socketPaths.join(",")}` : settings.host,
    listeners: describeListeners(settings.listeners, settings.host),
  };
}

/** What the control socket, signals, the dashboard and --watch ask of the run. */
function createControl(run: Run, info: SupervisorInfo) {
  const { settings, plan, pool, metrics, systemd } = run;
  const readyStatus = `Serving ${info.app} at ${describeListen(settings, plan)} with ${settings.workers} worker${settings.workers === 1 ? "" : "s"}`;
  // quick: a --watch reload swaps each worker as soon as its replacement is
  // ready, with no drain period meant for production traffic.
  const reload = async (quick = false) => {
    logger.info("reloading workers");
    metrics.recordEvent("reload", quick ? "reload (watch)" : "reload");
    const started = monotonicNow();
    systemd.reloading();
    try {
      await run.refreshApp();
      await pool.reload({ quick });
      await run.sidePools.reload(quick);
    } finally {
      systemd.ready(readyStatus);
    }
    const ms = Math.round(monotonicNow() - started);
    logger.info(`reload finished in ${ms} ms`);
    return { reloaded: settings.workers, ms };
  };
  const onControl = async (command: ControlCommand): Promise<unknown> => {
    switch (command) {
      case "status":
        return {
          ...await collectStatus(pool, info, run.sidePools), schedule: run.scheduler.status(), tasks: run.tasks.status(), store: run.store.metrics(),
          cluster: clusterRow(run),
        };
      case "reload":
        return reload();
      case "stop":
        setImmediate(() => void stopRun(run));
        return { stopping: true };
    }
  };
  return { reload, onControl, readyStatus };
}

function installPidFile({ settings, teardown }: Run): void {
  if (!settings.pidFile) return;
  const path = settings.pidFile;
  writeFileSync(path, `${process.pid}\n`);
  teardown.add("pid file", () => rmSync(path, { force: true }));
}

/** The admin listener (dashboard, metrics, health) when --admin is set. */
async function installAdmin(
  run: Run, info: SupervisorInfo, config: { sources: SupervisorOptions["sources"]; configFile?: string }, reload: () => Promise<unknown>,
): Promise<string[]> {
  const { settings, pool, sidePools, metrics, plan } = run;
  if (!settings.admin) return [];
  // Loaded only with --admin: its pages are a good part of the bundle (start-up time).
  const { startDashboard } = await import("../dashboard/start.ts");
  const dashboard = startDashboard(
    { pool, sidePools, metrics, info, listen: describeListen(settings, plan), settings, sources: config.sources ?? {}, configFile: config.configFile },
    { reload: () => reload(), replaceWorker: (slot) => pool.replaceWorker(slot) },
    (message) => logger.info(message),
  );
  const clusterReady = () => (settings.clusterRequired ? clusterRow(run)?.state === "up" : undefined);
  const admin = await startAdminServer(parseAdminAddress(settings.admin), pool, metrics, info.startedAt, dashboard.routes, clusterReady);
  run.teardown.add("admin listener", () => {
    dashboard.stop();
    admin.forceClose();
  });
  return [`admin listener (dashboard, metrics, healthz, readyz) at http://${settings.admin}`, dashboard.banner];
}

function clusterRow(run: Run) {
  return clusterStatus(run.cluster, run.clusterBus, run.settings.clusterRedis);
}

/** Stop, forced stop and reload by signal; and a stop when the launcher that started lsky is gone. */
function installSignals(run: Run, reload: () => Promise<unknown>): void {
  // A stop signal during the set-up above already stopped the pool: finish the stop.
  if (run.signals.stopped) void stopRun(run);
  run.signals.use({
    stop: () => void stopRun(run),
    force: () => {
      logger.warn("second signal: forcing exit");
      run.teardown.force();
      run.exitCode = 1;
      run.finish();
    },
    reload: () => void reload().catch((error: Error) => logger.error(`reload failed: ${error.message}`)),
  });
  watchLauncher(process.env, () => {
    logger.warn("the launcher that started this supervisor is gone: stopping");
    void stopRun(run);
  });
}

async function installPid1(run: Run): Promise<void> {
  const stopReaping = await startPid1Duties((pid) => (run.pool.findByPid(pid) ?? run.sidePools.findByPid(pid)) !== undefined, logger);
  run.teardown.add("pid 1 duties", () => stopReaping());
}

function installWatch(run: Run, reload: (quick?: boolean) => Promise<unknown>): void {
  if (!run.settings.watch) return;
  const watcher = startWatching(run.entry, run.settings, logger, () => reload(true));
  run.teardown.add("watch", () => watcher?.close());
}

function logStartNotes({ settings, entry, plan }: Run, adminLines: string[]): void {
  const notes = hostNotesLine(hostNotes({ settings, engine: currentEngine(), socketsOnly: plan.socketPaths.length > 0 }));
  if (notes) logger.warn(notes);
  const staticNote = staticFirstNote(settings.static, entry);
  if (staticNote) logger.info(staticNote);
  for (const line of adminLines) logger.info(line);
}

function logServing({ settings, plan }: Run, info: SupervisorInfo): void {
  logger.info(
    `lsky ${VERSION} serving ${info.app} at ${describeListen(settings, plan)} on ${info.engine} ${info.engineVersion} ` +
      `with ${settings.workers} worker${settings.workers === 1 ? "" : "s"} (supervisor pid ${process.pid})`,
  );
}

/** Undoes the run (newest first), then waits for the last output; once. */
function stopRun(run: Run): Promise<void> {
  run.stopping ??= (async () => {
    logger.info("stopping: draining workers");
    run.systemd.stopping();
    await run.teardown.run();
    await run.systemd.flush();
    // The last lines a worker wrote (its goodbye, an error) are read before lsky exits.
    await settleWithin(Promise.all(run.relay.open), OUTPUT_CLOSE_MS);
    logger.info("stopped");
    await flushOutput(OUTPUT_CLOSE_MS);
    run.finish();
  })();
  return run.stopping;
}

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.finally(() => (clearTimeout(timer), resolve()));
  });
}
