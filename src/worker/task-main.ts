import { HEARTBEAT_MS, type WorkerSpec } from "../bus/protocol.ts";
import { loadApp } from "../app/load-app.ts";
import { formatLogLine, setLogFormat } from "../log.ts";
import { currentEngine } from "../runtime/detect.ts";
import { dieWithParent } from "../runtime/parent-death.ts";
import { ignoreOutputErrors } from "../runtime/std-output.ts";
import { createTaskRunner } from "../tasks/runner.ts";
import { BusClient } from "./bus-client.ts";
import { createWorkerLifecycle } from "./hooks.ts";
import { reportBootFailure } from "./boot-failure.ts";
import { joinPoolFacilities } from "./pool-facilities.ts";

// When the supervisor vanishes, a running task gets this long before the worker exits.
const ORPHAN_DEADLINE_MS = 300;

/**
 * A task worker: the same executable in the task-worker role. It loads the
 * app, runs onWorkerStart, never listens, says "ready", then runs the task
 * attempts the supervisor hands it, one at a time (docs/TASKS.md).
 */
export async function runTaskWorker(spec: WorkerSpec): Promise<void> {
  setLogFormat(spec.settings.logFormat);
  await dieWithParent(currentEngine());
  ignoreOutputErrors();
  await serveTasks(spec);
}

// long: the task worker's parts, its bus and its boot, in the order they depend on each other
async function serveTasks(spec: WorkerSpec): Promise<void> {
  let bus: BusClient | undefined;
  const send = (message: Parameters<BusClient["send"]>[0]) => bus?.send(message) ?? false;
  const warn = (line: string) => process.stderr.write(formatLogLine("warn", line));
  // Tasks, tables and cache from "lsky" work in a task handler as in a request.
  const facilities = joinPoolFacilities({ workerId: spec.slot, taskPayloadLimit: spec.settings.taskPayloadLimit, bus: () => bus });
  const { appBus, tasks: client } = facilities;
  const runner = createTaskRunner({
    workerId: spec.slot, bus: appBus.bus, payloadLimit: spec.settings.taskPayloadLimit, send,
    logError: (line) => process.stderr.write(formatLogLine("error", line)),
  });
  const lifecycle = createWorkerLifecycle(spec.slot, appBus.bus, warn, "task");
  const stats = () => ({ type: "stats" as const, requests: runner.counts().finished, inflight: runner.counts().running, rss: process.memoryUsage().rss });
  let stopping: Promise<void> | undefined;
  const stop = (grace: number) => (stopping ??= (async () => {
    const deadline = performance.now() + grace;
    await runner.idle(grace);
    await lifecycle.stop(deadline);
    process.exit(0);
  })());
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => void stop(spec.settings.gracePeriod));
  bus = await BusClient.connect(spec.busPath, spec.slot, {
    drain: () => void stop(spec.settings.gracePeriod),
    "stats-request": () => bus?.send(stats()),
    ...facilities.receive,
    ...runner.receive,
  }, () => {
    facilities.disconnected();
    void stop(ORPHAN_DEADLINE_MS).finally(() => process.exit(1));
  });
  try {
    const { app } = await loadApp(spec.entry, spec.appBundle);
    client.setNames(runner.load(app));
    await lifecycle.start(app);
  } catch (error) {
    await reportBootFailure(bus, error);
    return;
  }
  bus.send({ type: "ready", port: 0 });
  // Memory and task counts for status; nobody judges silence (a task may hold the event loop).
  setInterval(() => bus?.send(stats()), HEARTBEAT_MS).unref?.();
}
