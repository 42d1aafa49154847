import type { ProcessRoleSpec } from "../bus/protocol.ts";
import { importUserModule } from "../app/load-app.ts";
import { LskyError } from "../errors.ts";
import { formatLogLine, setLogFormat } from "../log.ts";
import { currentEngine } from "../runtime/detect.ts";
import { dieWithParent } from "../runtime/parent-death.ts";
import { ignoreOutputErrors } from "../runtime/std-output.ts";
import { BusClient } from "./bus-client.ts";
import { createProcessContext, type CustomProcess, type ProcessContext } from "./process-context.ts";
import { joinPoolFacilities } from "./pool-facilities.ts";

// With the supervisor gone (kill -9), stop(ctx) gets this long before the process exits.
const ORPHAN_STOP_MS = 300;

interface Running {
  spec: ProcessRoleSpec;
  ctx: ProcessContext;
  abort: AbortController;
  module?: CustomProcess;
  /** Settles once start(ctx) has returned or thrown. */
  started: Promise<unknown>;
  stopping?: Promise<never>;
  bus?: BusClient;
}

/**
 * A custom module process: the same executable started in the `__process`
 * role. It connects to the bus, imports the module, runs start(ctx), says
 * ready, and on a drain (or its stop signal) runs stop(ctx) bounded by its
 * stop timeout, then exits.
 */
export async function runCustomProcess(spec: ProcessRoleSpec): Promise<void> {
  setLogFormat(spec.logFormat);
  await dieWithParent(currentEngine());
  ignoreOutputErrors();
  const abort = new AbortController();
  // Tasks, tables and cache work here as in a request: from ctx or from "lsky".
  const facilities = joinPoolFacilities({ workerId: spec.slot, taskPayloadLimit: spec.taskPayloadLimit, bus: () => running.bus });
  const { appBus, tasks, store } = facilities;
  const ctx = createProcessContext({
    name: spec.name, instance: spec.slot, bus: appBus.bus, signal: abort.signal, tasks: tasks.tasks, table: store.client.table, cache: store.client.cache,
  });
  const running: Running = { spec, ctx, abort, started: Promise.resolve() };
  // Ctrl-C reaches the whole process group; the supervisor decides when processes stop.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => void stop(running, spec.stopTimeout, 0));
  process.on("SIGHUP", () => void callHook(running, "reload"));
  running.bus = await BusClient.connect(spec.busPath, spec.slot, {
    drain: () => void stop(running, spec.stopTimeout, 0),
    "stats-request": () => running.bus?.send({ type: "stats", requests: 0, inflight: 0, rss: process.memoryUsage().rss }),
    ...facilities.receive,
  }, () => {
    facilities.disconnected();
    void stop(running, ORPHAN_STOP_MS, 1);
  });
  running.started = start(running);
  try {
    await running.started;
  } catch (error) {
    return reportBootFailure(running.bus, spec, error);
  }
  if (!running.stopping) running.bus.send({ type: "ready", port: 0 });
}

async function start(running: Running): Promise<void> {
  const module = await loadProcessModule(running.spec);
  running.module = module;
  await module.start(running.ctx);
}

async function loadProcessModule(spec: ProcessRoleSpec): Promise<CustomProcess> {
  let loaded: { default?: unknown };
  try {
    loaded = await importUserModule(spec.module) as { default?: unknown };
  } catch (error) {
    throw new LskyError("APP_LOAD_FAILED", `Cannot start process "${spec.name}": its module threw while loading`, { cause: error });
  }
  const candidate = loaded.default as Partial<CustomProcess> | undefined;
  if (typeof candidate?.start !== "function") {
    throw new LskyError("INVALID_CONFIG", `Cannot start process "${spec.name}": the default export of ${spec.module} has no start(ctx) method`, {
      hint: "Export an object such as: export default { start(ctx) { ... }, stop(ctx) { ... } }",
    });
  }
  return candidate as CustomProcess;
}

/** Runs stop(ctx) once (after start has settled), bounded by `deadline`, then exits with `code`. */
function stop(running: Running, deadline: number, code: number): Promise<never> {
  running.stopping ??= (async () => {
    running.abort.abort();
    const finished = running.started.then(() => callHook(running, "stop"), () => {});
    const timedOut = await settleWithin(finished, deadline);
    if (timedOut) process.stderr.write(formatLogLine("warn", `process "${running.spec.name}": stop(ctx) did not finish within ${deadline} ms; exiting`));
    process.exit(code);
  })();
  return running.stopping;
}

async function callHook(running: Running, hook: "stop" | "reload"): Promise<void> {
  try {
    await running.module?.[hook]?.(running.ctx);
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(formatLogLine("error", `process "${running.spec.name}": ${hook}(ctx) threw ${detail}`));
  }
}

/** True when `promise` did not settle within `ms`. */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    void promise.finally(() => (clearTimeout(timer), resolve(false)));
  });
}

async function reportBootFailure(bus: BusClient, spec: ProcessRoleSpec, error: unknown): Promise<void> {
  const exitCode = error instanceof LskyError ? error.exitCode : 1;
  const message = error instanceof LskyError ? error.message : `Cannot start process "${spec.name}": start(ctx) threw ${error instanceof Error ? error.message : String(error)}`;
  const cause = error instanceof LskyError ? error.cause : error;
  const detail = error instanceof LskyError && error.hint ? `hint: ${error.hint}` : cause instanceof Error ? (cause.stack ?? cause.message) : "";
  await bus.sendFinal({ type: "boot-failed", exitCode, message, detail });
  process.exit(exitCode);
}
