import type { WorkerMessage } from "../bus/protocol.ts";
import type { PoolScheduler } from "../scheduler/pool-scheduler.ts";
import type { SharedStore } from "../store/shared-store.ts";
import type { MessageRouter } from "./message-router.ts";
import type { WorkerPool } from "./pool.ts";
import type { SidePools } from "./side-pools.ts";
import type { TaskService } from "./task-service.ts";
import type { WorkerHandle } from "./worker-handle.ts";

/** Everything in the supervisor that hears what workers say on the bus. */
export interface MessageHearers {
  store: SharedStore;
  pool: WorkerPool;
  sidePools: SidePools;
  scheduler: PoolScheduler;
  tasks: TaskService;
}

/**
 * A worker's message goes to the store, its pool (HTTP or a side pool), the
 * bus router, the scheduler (HTTP workers only) and the task service.
 */
export function routeMessage(to: MessageHearers, router: MessageRouter, worker: WorkerHandle, message: WorkerMessage): void {
  // Answered at once, in order: the client matches replies to its calls by order (src/store/protocol.ts).
  if (message.type === "store") return void worker.channel?.sendLine(to.store.serve(message));
  const side = to.sidePools.onMessage(worker, message);
  if (!side) to.pool.onMessage(worker, message);
  // A task worker's "ready" never makes it a bus peer: its id would clash with the HTTP worker's.
  if (message.type !== "ready" || !to.tasks.owns(worker)) router.onMessage(worker, message);
  // Scheduled jobs run on HTTP workers: a side pool's "ready" must not replace their schedule.
  if (!side) to.scheduler.onMessage(worker, message);
  to.tasks.onMessage(worker, message);
}
