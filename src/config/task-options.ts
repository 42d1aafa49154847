import { parseInteger, parseSize } from "./parse-value.ts";
import { settingFor } from "./setting-spec.ts";

/** Task workers and the supervisor's task queue (docs/TASKS.md). */
export interface TaskSettings {
  /**
   * Task worker processes. -1 ("auto", the default): one when the app's
   * default export has `tasks`, none otherwise. 0: none, and tasks.run
   * rejects with TASK_NO_WORKERS.
   */
  taskWorkers: number;
  /** Tasks waiting (delayed or queued, not running) before tasks.run rejects with TASK_QUEUE_FULL. */
  taskQueueLimit: number;
  /** The largest payload or result, in bytes of JSON. */
  taskPayloadLimit: number;
}

/** What `taskWorkers` holds for "auto". */
export const TASK_WORKERS_AUTO = -1;

const setting = settingFor<TaskSettings>();

export const TASK_SETTINGS = [
  setting({
    key: "taskWorkers", group: "workers", flag: "task-workers", env: ["LSKY_TASK_WORKERS"], valueName: "N",
    description: "Task worker processes running the app's `tasks` (default auto: 1 when the app exports tasks; 0: none)",
    defaultText: "auto",
    parse: (t) => (t.trim() === "auto" ? TASK_WORKERS_AUTO : parseInteger(t, 0, 256)),
    defaultValue: () => TASK_WORKERS_AUTO,
  }),
  setting({
    key: "taskQueueLimit", group: "workers", flag: "task-queue-limit", env: ["LSKY_TASK_QUEUE_LIMIT"], valueName: "N",
    description: "Tasks waiting for a task worker before tasks.run rejects with TASK_QUEUE_FULL",
    parse: (t) => parseInteger(t, 1, 10_000_000),
    defaultValue: () => 10_000,
  }),
  setting({
    key: "taskPayloadLimit", group: "workers", flag: "task-payload-limit", env: ["LSKY_TASK_PAYLOAD_LIMIT"], valueName: "SIZE",
    description: "Largest task payload or result, in bytes of JSON (at most 900kb: it travels in one bus message)",
    parse: (t) => parseSize(t, 900 * 1024),
    defaultValue: () => 256 * 1024,
  }),
] as const;
