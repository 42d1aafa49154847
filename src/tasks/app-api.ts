import type { LskyBus } from "../bus/app-api.ts";

/**
 * `import { tasks } from "lsky"` (or `ctx.tasks` in a fetch app): runs the
 * app's task handlers on task workers (docs/TASKS.md).
 *
 * @example
 * export default {
 *   fetch: async (req, ctx) => Response.json(await ctx.tasks.run("resize", { url: "/a.png" }, { timeout: 5000 })),
 *   tasks: { async resize(payload, ctx) { return { done: payload.url, by: ctx.workerId }; } },
 * };
 */
export interface Tasks {
  /** Runs task `name` and resolves with what its handler returned (through JSON). */
  run<T = unknown>(name: string, payload?: unknown, options?: TaskOptions): Promise<T>;
  /** Queues task `name` and resolves with its id once the supervisor took it; nobody waits for its result. */
  dispatch(name: string, payload?: unknown, options?: TaskOptions): Promise<string>;
}

export interface TaskOptions {
  /** Milliseconds (or "500ms", "2s") before the task may start. Default 0. */
  delay?: number | string;
  /** Attempts in all (1 = no retry). A failed, timed-out or crashed attempt is retried after 100 ms, 200 ms, 400 ms… (at most 30 s). Default 1. */
  tries?: number;
  /** Milliseconds (or "30s") an attempt may run before its `ctx.signal` aborts and it fails with TASK_TIMEOUT. Default: none. */
  timeout?: number | string;
  /**
   * dispatch only, on a cluster (--cluster-redis): keep the task on Redis until a
   * node ran it, so it survives the server that queued it (at least once: see
   * docs/TASKS.md, "Durable tasks"). Default: --task-durable. Without a cluster,
   * `true` rejects with TASK_NOT_DURABLE; tasks.run rejects it with TASK_INVALID.
   */
  durable?: boolean;
}

/** The second argument of a task handler. */
export interface TaskContext {
  /** The task's id (what dispatch resolved with). */
  id: string;
  /** The task's name. */
  name: string;
  /** 1 for the first attempt, 2 for the first retry… */
  attempt: number;
  /** Attempts in all. */
  tries: number;
  /** The task worker's id (1..N among task workers). */
  workerId: number;
  kind: "task";
  /** The message bus (docs/BUS.md): a task worker sends and requests; it is not a target of publish or send. */
  bus: LskyBus;
  /** Aborted when the attempt passes its timeout, or the task worker must stop now. */
  signal: AbortSignal;
}

export type TaskHandler = (payload: unknown, ctx: TaskContext) => unknown;
