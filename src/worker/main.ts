import { loadApp } from "../app/load-app.ts";
import { HEARTBEAT_MS, type WorkerMessage, type WorkerSpec } from "../bus/protocol.ts";
import type { MessageChannel } from "../bus/ndjson.ts";
import { isLskyError } from "../errors.ts";
import { loadAdapter } from "../runtime/load-adapter.ts";
import type { HttpServer } from "../runtime/types.ts";
import { connectToSupervisor, sendFinal } from "./bus-client.ts";
import { createHandler, type RequestCounters } from "./handler.ts";
import { composeStages, createStages } from "./pipeline.ts";

// When the supervisor vanishes (kill -9), a worker finishes what it can in this
// time and exits, so no orphan keeps the port.
const ORPHAN_DEADLINE_MS = 1000;

/**
 * A worker: the same executable started again with the `__worker` role. It
 * loads the app, serves it on the shared port, reports ready only once it is
 * listening, answers stats, and drains when told to.
 */
export async function runWorker(spec: WorkerSpec): Promise<void> {
  const counters: RequestCounters = { requests: 0, inflight: 0 };
  let server: HttpServer | undefined;
  let draining = false;
  let recycleAsked = false;

  const stats = (): WorkerMessage => ({ type: "stats", ...counters, rss: process.memoryUsage().rss });
  const drain = async (deadline: number) => {
    if (draining) return;
    draining = true;
    await new Promise((r) => setTimeout(r, server ? spec.settings.drainDelay : 0));
    const force = setTimeout(() => server?.forceClose(), deadline);
    await server?.close();
    clearTimeout(force);
    if (bus) await sendFinal(bus, stats());
    process.exit(0);
  };
  const askRecycle = (reason: "max-requests" | "max-memory") => {
    if (recycleAsked || draining) return;
    recycleAsked = true;
    bus?.send({ type: "recycle", reason });
  };

  // Ctrl-C reaches the whole process group; the supervisor decides what workers do.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => void drain(spec.settings.gracePeriod));

  let bus: MessageChannel<WorkerMessage> | undefined;
  bus = await connectToSupervisor(spec.busPath, spec.slot, {
    drain: () => void drain(spec.settings.gracePeriod),
    "stats-request": () => bus?.send(stats()),
  }, () => void drain(ORPHAN_DEADLINE_MS).finally(() => process.exit(1)));

  try {
    const { app } = await loadApp(spec.entry);
    const adapter = await loadAdapter();
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const appHandler = createHandler(app, { dev: spec.settings.dev, counters, log });
    const handler = composeStages(createStages(spec.settings, adapter), appHandler);
    const counted = spec.settings.maxRequests > 0 ? countTowardsRecycle(handler, counters, spec.settings.maxRequests, askRecycle) : handler;
    server = await adapter.serve({ hostname: spec.settings.host, port: spec.port, handler: counted, shouldClose: () => draining, limits: spec.settings, denoServer: spec.settings.denoServer });
  } catch (error) {
    await reportBootFailure(bus, error);
    return;
  }
  bus.send({ type: "ready", port: server.port });
  const heartbeat = setInterval(() => {
    bus?.send(stats());
    if (spec.settings.maxMemory > 0 && process.memoryUsage().rss > spec.settings.maxMemory * 1_048_576) askRecycle("max-memory");
  }, HEARTBEAT_MS);
  heartbeat.unref?.();
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

async function reportBootFailure(bus: MessageChannel<WorkerMessage>, error: unknown): Promise<void> {
  const exitCode = isLskyError(error) ? error.exitCode : 1;
  const message = error instanceof Error ? error.message : String(error);
  const detail = describeCause(error);
  await sendFinal(bus, { type: "boot-failed", exitCode, message, detail });
  process.exit(exitCode);
}

function describeCause(error: unknown): string {
  const cause = isLskyError(error) ? error.cause : error;
  if (isLskyError(error) && error.hint) return `hint: ${error.hint}`;
  if (cause instanceof Error) return cause.stack ?? cause.message;
  return cause === undefined ? "" : String(cause);
}
