import type { RecycleReason, WorkerSpec } from "../bus/protocol.ts";
import type { HttpServer } from "../runtime/types.ts";
import type { createScheduleRunner } from "../scheduler/worker-runner.ts";
import type { createTaskClient } from "../tasks/client.ts";
import type { BusClient } from "./bus-client.ts";
import type { RequestCounters } from "./handler.ts";
import type { WorkerLifecycle } from "./hooks.ts";
import type { AppListeners } from "./app-listeners.ts";
import type { LeakWatch } from "./leak-watch.ts";
import type { startSockets } from "./websockets.ts";

/**
 * What a worker's boot steps share. Most parts arrive one by one while the
 * worker boots, so the drain and the stats read them as they are when asked.
 */
export interface WorkerState {
  readonly spec: WorkerSpec;
  readonly counters: RequestCounters;
  bus?: BusClient;
  server?: HttpServer;
  websockets?: ReturnType<typeof startSockets>;
  schedule?: ReturnType<typeof createScheduleRunner>;
  /** The worker's `tasks` (submits to the supervisor's queue). */
  tasks?: ReturnType<typeof createTaskClient>;
  lifecycle?: WorkerLifecycle;
  leakWatch?: LeakWatch;
  /** The app's TCP and UDP listeners this worker serves (docs/LISTENERS.md). */
  listeners?: AppListeners;
  /** Set once the app is loaded, when it exports a metrics registry (prom-client's). */
  readAppMetrics?: () => Promise<unknown[]>;
  draining: boolean;
  recycleAsked: boolean;
}

/** Asks the supervisor once for a replacement; not while draining, when one is coming anyway. */
export function askRecycle(state: WorkerState, reason: RecycleReason): void {
  if (state.recycleAsked || state.draining) return;
  state.recycleAsked = true;
  state.bus?.send({ type: "recycle", reason });
}
