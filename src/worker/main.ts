import { loadApp } from "../app/load-app.ts";
import { HEARTBEAT_MS, type RecycleReason, type WorkerMessage, type WorkerSpec } from "../bus/protocol.ts";
import { isLskyError } from "../errors.ts";
import { formatLogLine, logger, setLogFormat } from "../log.ts";
import { appPortNote } from "../app/start-notes.ts";
import { loadAdapter } from "../runtime/load-adapter.ts";
import { currentEngine } from "../runtime/detect.ts";
import { dieWithParent } from "../runtime/parent-death.ts";
import { ignoreOutputErrors } from "../runtime/std-output.ts";
import type { HttpServer } from "../runtime/types.ts";
import { BusClient } from "./bus-client.ts";
import { createWorkerBus, installBusGlobal } from "./bus-api.ts";
import { drainServer } from "./drain.ts";
import { watchRequestActivity } from "./request-activity.ts";
import { createHandler, type RequestCounters } from "./handler.ts";
import { RequestContext } from "./request-context.ts";
import { startListeners } from "./listeners.ts";
import type { EngineBindings, RemoteAddr } from "../runtime/types.ts";
import { composeStages, createStages } from "./pipeline.ts";
import { startLagMonitor } from "../metrics/event-loop-lag.ts";
import { startSockets } from "./websockets.ts";
import { emptyRequestMetrics } from "../metrics/request-metrics.ts";
import { appMetricsReader } from "./app-metrics-report.ts";
import { residentMemoryReader, watchDescriptorPressure } from "./descriptor-pressure.ts";
import { createListenerCheck, LISTENER_CHECK_MS } from "./listener-check.ts";
import { createWorkerLifecycle } from "./hooks.ts";
import { createRequestStore } from "./request-store.ts";
import { installRequestContextGlobal } from "../app/request-context-facade.ts";
import { type LeakWatch, startLeakWatch } from "./leak-watch.ts";
import { createScheduleRunner } from "../scheduler/worker-runner.ts";
import type { JobSpec } from "../scheduler/job-spec.ts";

// When the supervisor vanishes (kill -9), a worker finishes what it can in this
// time and exits, so no orphan keeps the port.
// No replacement is coming, so the Connection: close period is skipped too.
const ORPHAN_DEADLINE_MS = 300;

/**
 * A worker: the same executable started again with the `__worker` role. It
 * loads the app, serves it on the shared port, reports ready only once it is
 * listening, answers stats, and drains when told to.
 */
export async function runWorker(spec: WorkerSpec): Promise<void> {
  setLogFormat(spec.settings.logFormat);
  // The bus disconnect below stops an orphan only while its event loop runs;
  // this also stops one whose loop the app blocked.
  await dieWithParent(currentEngine());
  // A broken or full output (the supervisor gone, a full disk) must not kill a worker that serves.
  ignoreOutputErrors();
  const counters: RequestCounters = { requests: 0, inflight: 0 };
  const activity = watchRequestActivity(counters);
  let server: HttpServer | undefined;
  let websockets: ReturnType<typeof startSockets> | undefined;
  let draining = false;
  let schedule: ReturnType<typeof createScheduleRunner> | undefined;
  let recycleAsked = false;
  let leakWatch: LeakWatch | undefined;

  const metrics = spec.settings.admin ? emptyRequestMetrics() : undefined;
  // Always on: the supervisor's watchdog tells a slow worker from a hung one by it.
  const lag = startLagMonitor();
  const readRss = residentMemoryReader();
  const stats = (): WorkerMessage => {
    const loopLag = lag.take();
    if (metrics) metrics.eventLoopLag = loopLag;
    const sockets = websockets && { ...websockets.hub.stats, open: websockets.hub.local.size };
    return { type: "stats", ...counters, rss: readRss(), metrics, lag: loopLag, websockets: sockets, heapSlope: leakWatch?.slope() };
  };
  // Set once the app is loaded, when it exports a metrics registry (prom-client's).
  let readAppMetrics: (() => Promise<unknown[]>) | undefined;
  const statsWithAppMetrics = async (): Promise<WorkerMessage> => {
    const appMetrics = readAppMetrics && metrics ? await readAppMetrics() : undefined;
    return { ...stats(), ...(appMetrics ? { appMetrics } : {}) } as WorkerMessage;
  };
  const drain = async (handover: boolean, gracePeriod = spec.settings.gracePeriod, drainDelay = spec.settings.drainDelay, restart = handover) => {
    if (draining) return;
    draining = true;
    const deadline = performance.now() + gracePeriod;
    // WebSockets drain beside HTTP: new upgrades are refused at once, open
    // sockets get their own (shorter) period, then 1012 or 1001.
    const socketsClosed = websockets?.hub.drain(restart, Math.min(spec.settings.wsDrainPeriod, gracePeriod));
    if (server) await drainServer(server, counters, {
      drainDelay, gracePeriod, handover, keepAliveTimeout: spec.settings.keepAliveTimeout,
      lastRequestBound: activity.lastRequestBound(),
    });
    await socketsClosed;
    await schedule?.idle(Math.max(0, deadline - performance.now()));
    await lifecycle.stop(deadline);
    // The last figures, so the supervisor keeps this worker's counts once it is gone.
    if (bus) await bus.sendFinal(await statsWithAppMetrics());
    process.exit(0);
  };
  const askRecycle = (reason: RecycleReason) => {
    if (recycleAsked || draining) return;
    recycleAsked = true;
    bus?.send({ type: "recycle", reason });
  };

  // Ctrl-C reaches the whole process group; the supervisor decides what workers do.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => void drain(false));

  let bus: BusClient | undefined;
  const appBus = createWorkerBus({
    workerId: spec.slot,
    sendLine: (line) => bus?.sendLine(line) ?? false,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  installBusGlobal(appBus.bus);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const lifecycle = createWorkerLifecycle(spec.slot, appBus.bus, (line) => process.stderr.write(formatLogLine("warn", line)));
  const requestStore = spec.settings.requestContext ? createRequestStore(spec.slot) : undefined;
  installRequestContextGlobal(requestStore?.current ?? false);
  schedule = createScheduleRunner({
    workerId: spec.slot, bus: appBus.bus, send: (message) => bus?.send(message) ?? false,
    logError: (line) => process.stderr.write(formatLogLine("error", line)),
  });
  const pool = startSockets(spec, appBus.bus);
  websockets = pool;
  bus = await BusClient.connect(spec.busPath, spec.slot, {
    drain: (message) =>
      void drain(message.handover === true, spec.settings.gracePeriod, message.quick ? 0 : spec.settings.drainDelay, message.handover === true || message.quick === true),
    "stats-request": (message) => {
      if (message.appMetrics) void statsWithAppMetrics().then((reply) => bus?.send(reply));
      else bus?.send(stats());
    },
    ...appBus.receive,
    ...schedule.receive,
  }, () => {
    appBus.disconnected();
    void drain(false, ORPHAN_DEADLINE_MS, 0).finally(() => process.exit(1));
  });

  let scheduledJobs: JobSpec[] = [];
  try {
    const { app } = await loadApp(spec.entry);
    readAppMetrics = appMetricsReader(app, (line) => process.stderr.write(formatLogLine("warn", line)));
    scheduledJobs = schedule.load(app);
    // Said by one worker only: every worker loads the same app.
    const portNote = spec.slot === 1 ? appPortNote(app, spec.port) : undefined;
    if (portNote) logger.warn(portNote);
    const adapter = await loadAdapter();
    const errorProof = createHandler(app, { dev: spec.settings.dev, counters, log });
    const appHandler = requestStore ? requestStore.wrap(errorProof) : errorProof;
    const handler = composeStages(createStages(spec.settings, { metrics, adapter, worker: spec.slot, engine: adapter }), appHandler);
    const counted = spec.settings.maxRequests > 0 ? countTowardsRecycle(handler, counters, spec.settings.maxRequests, askRecycle) : handler;
    const context = <Source>(readRemoteAddr: (source: Source) => RemoteAddr, source: Source, bindings?: EngineBindings) =>
      new RequestContext(readRemoteAddr, source, appBus.bus, bindings, pool);
    // Before the listener opens: with a shared port the kernel would hand
    // this worker connections while its start hook still ran.
    await lifecycle.start(app);
    server = await startListeners(spec, adapter, counted, () => draining, context, pool.hub, appWebSocketExport(app));
  } catch (error) {
    await reportBootFailure(bus, error);
    return;
  }
  if (scheduledJobs.length > 0) bus.send({ type: "schedule", jobs: scheduledJobs });
  bus.send({ type: "ready", port: server.port, ...(readAppMetrics && metrics ? { appMetrics: true } : {}) });
  leakWatch = await startLeakWatch(spec.settings, () => counters.requests, (line) => process.stderr.write(formatLogLine("warn", line)));
  const descriptors = watchDescriptorPressure((line) => process.stderr.write(formatLogLine("warn", line)));
  const heartbeat = setInterval(() => {
    descriptors.check();
    bus?.send(stats());
    if (spec.settings.maxMemory > 0 && readRss() > spec.settings.maxMemory * 1_048_576) askRecycle("max-memory");
  }, HEARTBEAT_MS);
  heartbeat.unref?.();
  if (server.port > 0) watchListener(server.port, counters, descriptors, () => draining, askRecycle);
}

/** Asks for a replacement once the listener stopped accepting (listener-check.ts). */
function watchListener(
  port: number,
  counters: RequestCounters,
  descriptors: { readonly exhausted: boolean },
  draining: () => boolean,
  askRecycle: (reason: "listener-dead") => void,
): void {
  const check = createListenerCheck(port);
  const timer = setInterval(() => {
    if (draining() || !check.sample(counters.requests, descriptors.exhausted)) return;
    process.stderr.write(formatLogLine("error", `the listener on port ${port} stopped accepting connections (queued connections wait while no request is served); asking for a replacement`));
    clearInterval(timer);
    askRecycle("listener-dead");
  }, LISTENER_CHECK_MS);
  timer.unref?.();
}

function countTowardsRecycle(
  handler: ReturnType<typeof createHandler>,
  counters: RequestCounters,
  maxRequests: number,
  askRecycle: (reason: "max-requests") => void,
): ReturnType<typeof createHandler> {
  return (request, context) => {
    if (counters.requests + 1 >= maxRequests) askRecycle("max-requests");
    return handler(request, context);
  };
}

async function reportBootFailure(bus: BusClient, error: unknown): Promise<void> {
  const exitCode = isLskyError(error) ? error.exitCode : 1;
  const message = error instanceof Error ? error.message : String(error);
  const detail = describeCause(error);
  await bus.sendFinal({ type: "boot-failed", exitCode, message, detail });
  process.exit(exitCode);
}

function describeCause(error: unknown): string {
  const cause = isLskyError(error) ? error.cause : error;
  if (isLskyError(error) && error.hint) return `hint: ${error.hint}`;
  if (cause instanceof Error) return cause.stack ?? cause.message;
  return cause === undefined ? "" : String(cause);
}

/** `export default { fetch, websocket }`: Bun's handlers for sockets the app upgrades itself (hono/bun). */
function appWebSocketExport(app: unknown): unknown {
  return typeof app === "object" && app !== null ? (app as { websocket?: unknown }).websocket : undefined;
}
