import type { WorkerMessage, WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { TASK_WORKERS_AUTO } from "../config/task-options.ts";
import type { LskyError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type TaskCounters, TaskQueue } from "../tasks/queue.ts";
import { createDurableQueue } from "../cluster/durable-queue.ts";
import type { ClusterMember } from "./cluster.ts";
import { DurableTasks } from "./durable-tasks.ts";
import type { DurableCounters } from "../tasks/durable.ts";
import type { Relay } from "./http-kind.ts";
import { WorkerPool } from "./pool.ts";
import type { SidePools } from "./side-pools.ts";
import { taskWorkerKind } from "./task-kind.ts";
import type { ExitRecord, WorkerHandle } from "./worker-handle.ts";

// Past its timeout, how long an attempt's task worker may take to answer before it is killed.
const ABORT_MARGIN_MS = 1000;

export interface TaskServiceOptions {
  settings: ServeSettings;
  spec: Omit<WorkerSpec, "slot">;
  relay: Relay;
  sidePools: SidePools;
  log: Logger;
  /** With a cluster, dispatches may be durable (docs/TASKS.md, "Durable tasks"). */
  cluster?: ClusterMember;
  onWorkerExit(worker: WorkerHandle, record: ExitRecord): void;
  onFatal(error: LskyError): void;
}

/** What status and /metrics show of the tasks. */
export interface TaskStatus extends TaskCounters {
  /** Task workers configured (0 before an "auto" pool is known to be needed). */
  workers: number;
  /** With a cluster: the durable tasks' counters on this node. */
  durable?: DurableCounters;
}

/**
 * The supervisor's tasks: the pool of task workers (a side pool named
 * "task") and the queue in front of it. With --task-workers auto the pool is
 * made when the first HTTP worker reports that the app has tasks.
 */
export class TaskService {
  readonly queue: TaskQueue;
  private pool?: WorkerPool;
  private readonly durable?: DurableTasks;
  /** An HTTP worker said which tasks the app has. Before that, "auto" may still make a pool. */
  private reported = false;

  constructor(private readonly options: TaskServiceOptions) {
    const { settings, log } = options;
    // A custom process may submit before the first HTTP worker reported: with "auto" its task waits for the answer.
    const mayComeLater = () => settings.taskWorkers === TASK_WORKERS_AUTO && !this.reported;
    this.queue = new TaskQueue({ limit: settings.taskQueueLimit, log, killMargin: ABORT_MARGIN_MS, enabled: () => this.pool !== undefined || mayComeLater() });
    if (settings.taskWorkers > 0) this.createPool(settings.taskWorkers);
    const { cluster } = options;
    if (!cluster) return;
    const queue = createDurableQueue(cluster.link.commands, { prefix: cluster.prefix, node: cluster.node, visibility: settings.taskVisibilityTimeout });
    this.durable = new DurableTasks({
      queue, tasks: this.queue, visibility: settings.taskVisibilityTimeout, pollMs: settings.taskDurablePoll, log,
      isUp: () => cluster.link.status().state === "up",
    });
    this.durable.start();
  }

  /** True for a task worker: its messages go here and to the bus, not to the HTTP pool's scheduler. */
  owns(worker: WorkerHandle): boolean {
    return this.pool?.findByPid(worker.pid) === worker;
  }

  /** Any worker's task messages; call after the pools saw the message (so "ready" finds the worker ready). */
  onMessage(worker: WorkerHandle, message: WorkerMessage): void {
    switch (message.type) {
      case "tasks":
        return this.onReport(message.names);
      case "task-submit":
        return this.submit(worker, message);
      case "task-done":
        this.queue.onDone(worker, message);
        return this.durable?.wake();
      case "ready":
        if (!this.owns(worker)) return;
        void worker.exited.then(() => this.queue.onExit(worker));
        this.queue.addRunner(worker);
        return this.durable?.wake();
    }
  }

  /**
   * A dispatch is durable when it says so, or by --task-durable on a cluster;
   * a run never is (its waiter lives here). Durable without a cluster is refused,
   * never quietly kept in memory: the caller asked for a task that outlives this server.
   */
  private submit(worker: WorkerHandle, message: Extract<WorkerMessage, { type: "task-submit" }>): void {
    const durable = !message.wait && (message.spec.durable ?? (this.options.settings.taskDurable && this.durable !== undefined));
    if (!durable) return this.queue.submit(worker, message);
    if (this.durable) return this.durable.submit(worker, message);
    worker.send({
      type: "task-result", ref: message.ref,
      error: { code: "TASK_NOT_DURABLE", message: `Cannot dispatch task "${message.name}" as durable: this server is not in a cluster (--cluster-redis)` },
    });
  }

  /** At stop, once no HTTP worker is left: waits for what is queued and running, then reports what is left. */
  async finish(ms: number): Promise<void> {
    // Jobs not claimed yet stay on Redis for the other nodes.
    this.durable?.stopClaiming();
    await this.queue.settled(this.pool ? ms : 0);
    this.queue.loseRemaining();
    // Before the Redis link closes: unfinished durable tasks go back in line now, not after the visibility timeout.
    await this.durable?.close();
  }

  status(): TaskStatus {
    const status: TaskStatus = { workers: this.pool?.slots.length ?? 0, ...this.queue.stats() };
    if (this.durable) status.durable = this.durable.status();
    return status;
  }

  private onReport(names: string[]): void {
    this.reported = true;
    this.queue.names = new Set(names);
    if (!this.pool && names.length === 0) {
      this.queue.refuseWaiting({ code: "TASK_NO_WORKERS", message: "This server runs no task workers: the app exports no tasks" });
    }
    if (this.pool || names.length === 0 || this.options.settings.taskWorkers !== TASK_WORKERS_AUTO) return;
    this.createPool(1);
    this.pool!.start().catch((error: Error) => this.options.log.error(`task workers failed to start: ${error.message}`));
  }

  private createPool(size: number): void {
    const { settings, spec, relay, log } = this.options;
    this.pool = new WorkerPool({
      size,
      kind: taskWorkerKind(settings, spec, relay),
      log,
      onWorkerExit: this.options.onWorkerExit,
      onFatal: this.options.onFatal,
    });
    this.options.sidePools.add("task", this.pool);
  }
}
