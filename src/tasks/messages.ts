/**
 * The task messages on the bus (docs/TASKS.md). Any worker submits a task
 * and gets its outcome; the supervisor runs each attempt on a task worker,
 * one at a time per task worker.
 */

/** How a task failed, as carried from the task worker (or the queue) to who asked. */
export interface TaskFailure {
  code: "TASK_UNKNOWN" | "TASK_QUEUE_FULL" | "TASK_TIMEOUT" | "TASK_FAILED" | "TASK_NO_WORKERS" | "TASK_INVALID" | "TASK_NOT_DURABLE" | "TASK_CLUSTER_DOWN";
  message: string;
  /** The handler's error (name, message, stack), for TASK_FAILED. */
  cause?: { name: string; message: string; stack?: string };
}

/** Options as the supervisor keeps them: all in milliseconds. */
export interface TaskSpec {
  delay: number;
  tries: number;
  /** 0: none. */
  timeout: number;
  /** A dispatch's `durable` option; absent: the server's --task-durable decides. */
  durable?: boolean;
}

export type TaskWorkerMessage =
  /** Before "ready": the app's task names (an HTTP worker's report decides an "auto" task pool). */
  | { type: "tasks"; names: string[] }
  /** `ref` is the submitter's own number, echoed in "task-accepted" and "task-result". `wait`: send the result back. */
  | { type: "task-submit"; ref: number; name: string; payload: string; spec: TaskSpec; wait: boolean }
  /** A task worker's end of one attempt: `result` is JSON text, absent on failure. */
  | { type: "task-done"; id: string; result?: string; error?: TaskFailure };

export type TaskSupervisorMessage =
  | { type: "task-accepted"; ref: number; id: string }
  /** The outcome of a task submitted with `wait` (or a refusal of any submit: then `error` and no id). */
  | { type: "task-result"; ref: number; result?: string; error?: TaskFailure }
  | { type: "task-run"; id: string; name: string; payload: string; attempt: number; tries: number; timeout: number }
  | { type: "task-abort"; id: string; reason: string };
