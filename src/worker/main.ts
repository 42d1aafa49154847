import type { WorkerSpec } from "../bus/protocol.ts";
import { formatLogLine, setLogFormat } from "../log.ts";
import { currentEngine } from "../runtime/detect.ts";
import { dieWithParent } from "../runtime/parent-death.ts";
import { ignoreOutputErrors } from "../runtime/std-output.ts";
import { installRequestContextGlobal } from "../app/request-context-facade.ts";
import { createScheduleRunner } from "../scheduler/worker-runner.ts";
import { BusClient } from "./bus-client.ts";
import { reportBootFailure } from "./boot-failure.ts";
import { watchRequestActivity } from "./request-activity.ts";
import { startSockets } from "./websockets.ts";
import { createWorkerLifecycle } from "./hooks.ts";
import { createRequestStore } from "./request-store.ts";
import { startLeakWatch } from "./leak-watch.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { loadAndListen } from "./serve-app.ts";
import { createStatsReporter, type StatsReporter } from "./stats-reporter.ts";
import { createDrain, type Drain } from "./worker-drain.ts";
import type { WorkerState } from "./worker-state.ts";
import { joinPoolFacilities, type PoolFacilities } from "./pool-facilities.ts";

// When the supervisor vanishes (kill -9), a worker finishes what it can in this
// time and exits, so no orphan keeps the port.
// No replacement is coming, so the Connection: close period is skipped too.
const ORPHAN_DEADLINE_MS = 300;

/**
 * A worker: the same executable started again with the `__worker` role. It
 * loads the app, serves it on the shared port, reports ready only once it is
 * listening, answers stats, and drains when told to.
 */
// long: the HTTP worker's boot steps in their order (each a call); the task role branches off first
export async function runWorker(spec: WorkerSpec): Promise<void> {
  if (spec.role === "task") return (await import("./task-main.ts")).runTaskWorker(spec);
  setLogFormat(spec.settings.logFormat);
  // The bus disconnect below stops an orphan only while its event loop runs;
  // this also stops one whose loop the app blocked.
  await dieWithParent(currentEngine());
  const state: WorkerState = { spec, counters: { requests: 0, inflight: 0 }, draining: false, recycleAsked: false };
  const activity = watchRequestActivity(state.counters);
  const reporter = createStatsReporter(state);
  const drain = createDrain(state, activity, reporter);
  // Ctrl-C reaches the whole process group; the supervisor decides what workers do.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => void drain(false));
  const facilities = joinPoolFacilities({ workerId: spec.slot, taskPayloadLimit: spec.settings.taskPayloadLimit, bus: () => state.bus });
  const { appBus, store } = facilities;
  state.tasks = facilities.tasks;
  state.lifecycle = createWorkerLifecycle(spec.slot, appBus.bus, (line) => process.stderr.write(formatLogLine("warn", line)));
  const requestStore = spec.settings.requestContext ? createRequestStore(spec.slot) : undefined;
  installRequestContextGlobal(requestStore?.current ?? false);
  state.schedule = createScheduleRunner({
    workerId: spec.slot, bus: appBus.bus, send: (message) => state.bus?.send(message) ?? false,
    logError: (line) => process.stderr.write(formatLogLine("error", line)),
  });
  const sockets = startSockets(spec, appBus.bus);
  state.websockets = sockets;
  const bus = await connectBus(state, facilities, reporter, drain);
  state.bus = bus;

  let served: Awaited<ReturnType<typeof loadAndListen>>;
  try {
    served = await loadAndListen(state, { bus: appBus.bus, sockets, requestStore, reporter, store: store.client });
  } catch (error) {
    await reportBootFailure(bus, error);
    return;
  }
  state.server = served.server;
  if (served.jobs.length > 0) bus.send({ type: "schedule", jobs: served.jobs });
  state.tasks?.setNames(served.taskNames);
  bus.send({ type: "tasks", names: served.taskNames });
  bus.send({ type: "ready", port: served.server.port, ...(state.readAppMetrics && reporter.metrics ? { appMetrics: true } : {}) });
  state.leakWatch = await startLeakWatch(spec.settings, () => state.counters.requests, (line) => process.stderr.write(formatLogLine("warn", line)));
  startHeartbeat(state, reporter, served.server.port);
  guardOutputSoon();
}

/**
 * A worker's output is a pipe to the supervisor, which breaks only when the
 * supervisor is gone: the bus reports that too, and an orphan ignores output
 * errors before it drains. Otherwise the guard waits until the worker has
 * served a while: on Bun the first touch of process.stdout builds Node's
 * stream layer (2 to 3 ms), which would delay the first response
 * (docs/BENCHMARKS.md, "Start to first response").
 */
function guardOutputSoon(): void {
  const timer = setTimeout(ignoreOutputErrors, OUTPUT_GUARD_DELAY_MS);
  (timer as { unref?: () => void }).unref?.();
}

const OUTPUT_GUARD_DELAY_MS = 1000;

/** The worker's end of the bus: drain and stats requests, the app's bus, the schedule; an orphan drains fast. */
function connectBus(
  state: WorkerState,
  facilities: PoolFacilities,
  reporter: StatsReporter,
  drain: Drain,
): Promise<BusClient> {
  const { spec } = state;
  const schedule = state.schedule;
  return BusClient.connect(spec.busPath, spec.slot, {
    drain: (message) =>
      void drain(message.handover === true, spec.settings.gracePeriod, message.quick ? 0 : spec.settings.drainDelay, message.handover === true || message.quick === true),
    "stats-request": (message) => {
      if (message.appMetrics) void reporter.statsWithAppMetrics().then((reply) => state.bus?.send(reply));
      else state.bus?.send(reporter.stats());
    },
    ...facilities.receive,
    ...schedule?.receive,
  }, () => {
    ignoreOutputErrors();
    facilities.disconnected();
    void drain(false, ORPHAN_DEADLINE_MS, 0).finally(() => process.exit(1));
  });
}
