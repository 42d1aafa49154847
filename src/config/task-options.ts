import { parseBoolean, parseDuration, parseInteger, parseSize } from "./parse-value.ts";
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
  /** With --cluster-redis: every tasks.dispatch is durable (on Redis) unless it says `durable: false`. */
  taskDurable: boolean;
  /** Ms a durable task claimed by a node stays its own without a renewal: how long a dead node's task waits. */
  taskVisibilityTimeout: number;
  /** Ms between looks at Redis for durable tasks while the task workers are idle. */
  taskDurablePoll: number;
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
  setting({
    key: "taskDurable", group: "workers", flag: "task-durable", env: ["LSKY_TASK_DURABLE"], boolean: true,
    description: "With --cluster-redis, make every tasks.dispatch durable (kept on Redis until a node ran it); without a cluster it changes nothing",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  setting({
    key: "taskVisibilityTimeout", group: "workers", flag: "task-visibility-timeout", env: ["LSKY_TASK_VISIBILITY_TIMEOUT"], valueName: "DURATION",
    description: "How long a durable task stays with a node that stopped renewing its claim (renewed every third of it) before another node takes it",
    parse: (t) => parseDurationWithin(t, 300, 3_600_000, "from 300ms to 1h"),
    defaultValue: () => 30_000,
  }),
  setting({
    key: "taskDurablePoll", group: "workers", flag: "task-durable-poll", env: ["LSKY_TASK_DURABLE_POLL"], valueName: "DURATION",
    description: "How often an idle node looks at Redis for durable tasks (it also looks at once after a dispatch or a finished task)",
    parse: (t) => parseDurationWithin(t, 10, 60_000, "from 10ms to 1m"),
    defaultValue: () => 100,
  }),
] as const;

function parseDurationWithin(text: string, min: number, max: number, range: string): number {
  const ms = parseDuration(text);
  if (ms < min || ms > max) throw new RangeError(`expected a duration ${range}`);
  return ms;
}
