import { loadApp } from "../app/load-app.ts";
import { appPortNote } from "../app/start-notes.ts";
import type { LskyBus } from "../bus/app-api.ts";
import { formatLogLine, logger } from "../log.ts";
import { loadAdapter } from "../runtime/load-adapter.ts";
import type { EngineBindings, HttpServer, RemoteAddr } from "../runtime/types.ts";
import type { JobSpec } from "../scheduler/job-spec.ts";
import { readTaskHandlers } from "../tasks/runner.ts";
import type { StoreGlobal } from "../store/app-api.ts";
import { appMetricsReader } from "./app-metrics-report.ts";
import { createHandler } from "./handler.ts";
import { startAppListeners } from "./app-listeners.ts";
import { startListeners } from "./listeners.ts";
import { composeStages, createStages } from "./pipeline.ts";
import { contextShared, RequestContext } from "./request-context.ts";
import type { RequestStore } from "./request-store.ts";
import type { StatsReporter } from "./stats-reporter.ts";
import type { startSockets } from "./websockets.ts";
import { askRecycle, type WorkerState } from "./worker-state.ts";
import { descriptorExhaustionLine, isDescriptorExhaustion } from "./descriptor-pressure.ts";
import { readDescriptorLimit } from "../runtime/descriptor-limit.ts";

export interface ServeAppParts {
  readonly bus: LskyBus;
  readonly sockets: ReturnType<typeof startSockets>;
  readonly requestStore: RequestStore | undefined;
  readonly reporter: StatsReporter;
  readonly store: StoreGlobal;
}

/**
 * Loads the app, builds its request pipeline, runs its start hook and opens
 * the listener. Throws what the app's loading or start threw (a boot failure).
 */
export async function loadAndListen(state: WorkerState, parts: ServeAppParts): Promise<{ server: HttpServer; jobs: JobSpec[]; taskNames: string[] }> {
  const { spec, counters } = state;
  const { app } = await loadApp(spec.entry, spec.appBundle);
  state.readAppMetrics = appMetricsReader(app, (line) => process.stderr.write(formatLogLine("warn", line)));
  const jobs = state.schedule?.load(app) ?? [];
  const taskNames = [...readTaskHandlers(app).keys()];
  // Said by one worker only: every worker loads the same app.
  const portNote = spec.slot === 1 ? appPortNote(app, spec.port) : undefined;
  if (portNote) logger.warn(portNote);
  const adapter = await loadAdapter();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const errorProof = createHandler(app, { dev: spec.settings.dev, counters, log });
  const appHandler = parts.requestStore ? parts.requestStore.wrap(errorProof) : errorProof;
  const handler = composeStages(await createStages(spec.settings, { metrics: parts.reporter.metrics, adapter, worker: spec.slot, engine: adapter }), appHandler);
  const maxRequests = spec.settings.maxRequests;
  const counted = maxRequests > 0 ? countTowardsRecycle(handler, state, maxRequests) : handler;
  const shared = contextShared(parts.bus, parts.sockets, parts.store);
  const context = <Source>(readRemoteAddr: (source: Source) => RemoteAddr, source: Source, bindings?: EngineBindings) =>
    new RequestContext(readRemoteAddr, source, shared, bindings);
  // Before the listener opens: with a shared port the kernel would hand
  // this worker connections while its start hook still ran.
  await state.lifecycle?.start(app);
  state.listeners = await startAppListeners(spec, (line) => process.stderr.write(formatLogLine("error", line)));
  const onAcceptFailed = (error: unknown) => replaceForDeadListener(state, error);
  const server = await startListeners(spec, adapter, counted, () => state.draining, context, parts.sockets.hub, appWebSocketExport(app), onAcceptFailed);
  return { server, jobs, taskNames };
}

function countTowardsRecycle(
  handler: ReturnType<typeof createHandler>,
  state: WorkerState,
  maxRequests: number,
): ReturnType<typeof createHandler> {
  return (request, context) => {
    if (state.counters.requests + 1 >= maxRequests) askRecycle(state, "max-requests");
    return handler(request, context);
  };
}

/** `export default { fetch, websocket }`: Bun's handlers for sockets the app upgrades itself (hono/bun). */
function appWebSocketExport(app: unknown): unknown {
  return typeof app === "object" && app !== null ? (app as { websocket?: unknown }).websocket : undefined;
}

/**
 * The engine's accept loop ended for good (Deno.serve, when accept fails):
 * the cause is named (out of descriptors, most often) and the worker asks to
 * be replaced as listener-dead rather than die of the rejection.
 */
function replaceForDeadListener(state: WorkerState, error: unknown): void {
  if (state.draining) return;
  const line = isDescriptorExhaustion(error)
    ? descriptorExhaustionLine(readDescriptorLimit()?.soft, /ENFILE|file table overflow/i.test(String(error)))
    : `the engine stopped accepting connections: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(formatLogLine("warn", line));
  askRecycle(state, "listener-dead");
}
