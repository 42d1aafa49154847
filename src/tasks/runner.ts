import type { LskyBus } from "../bus/app-api.ts";
import { LskyError } from "../errors.ts";
import type { TaskHandler } from "./app-api.ts";
import type { TaskFailure, TaskSupervisorMessage, TaskWorkerMessage } from "./messages.ts";
import { encodeJson } from "./payload.ts";

/** Reads the `tasks` object of the app's default export; anything but functions in it is a boot failure. */
export function readTaskHandlers(app: unknown): Map<string, TaskHandler> {
  const value = (app as { tasks?: unknown } | null)?.tasks;
  const handlers = new Map<string, TaskHandler>();
  if (value === undefined || value === null) return handlers;
  if (typeof value !== "object") throw new LskyError("TASK_INVALID", `Cannot start the app: its default export's tasks is ${typeof value}, not an object of functions`);
  for (const [name, handler] of Object.entries(value)) {
    if (typeof handler !== "function") throw new LskyError("TASK_INVALID", `Cannot start the app: task "${name}" is ${typeof handler}, not a function`);
    handlers.set(name, handler as TaskHandler);
  }
  return handlers;
}

export interface TaskRunnerOptions {
  workerId: number;
  bus: LskyBus;
  payloadLimit: number;
  send(message: TaskWorkerMessage): boolean;
  logError(line: string): void;
}

type RunMessage = Extract<TaskSupervisorMessage, { type: "task-run" }>;

/**
 * A task worker's half: runs the attempt the supervisor hands it, with an
 * AbortSignal for its timeout, and answers with the result as JSON or the
 * error (name, message, stack) as the cause of TASK_FAILED.
 */
export function createTaskRunner(options: TaskRunnerOptions) {
  let handlers = new Map<string, TaskHandler>();
  const controllers = new Map<string, AbortController>();
  const inflight = new Set<Promise<void>>();
  let finished = 0;

  const run = async (message: RunMessage) => {
    const controller = new AbortController();
    controllers.set(message.id, controller);
    const outcome = await attempt(handlers.get(message.name), message, controller.signal, options);
    controllers.delete(message.id);
    finished++;
    options.send({ type: "task-done", id: message.id, ...outcome });
  };

  return {
    load(app: unknown): string[] {
      handlers = readTaskHandlers(app);
      return [...handlers.keys()];
    },
    receive: {
      "task-run": (message: RunMessage) => {
        const running = run(message);
        inflight.add(running);
        void running.finally(() => inflight.delete(running));
      },
      "task-abort": ({ id, reason }: Extract<TaskSupervisorMessage, { type: "task-abort" }>) => {
        controllers.get(id)?.abort(new LskyError("TASK_TIMEOUT", reason));
      },
    },
    /** Attempts ended and running, for the worker's stats (status shows them as requests and inflight). */
    counts: () => ({ finished, running: inflight.size }),
    /** Resolves when no task runs, or after `ms`; then aborts what still runs. */
    async idle(ms: number): Promise<void> {
      if (inflight.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          void Promise.allSettled([...inflight]).then(() => (clearTimeout(timer), resolve()));
        });
      }
      for (const controller of controllers.values()) controller.abort(new LskyError("TASK_FAILED", "The task worker is stopping"));
    },
  };
}

async function attempt(
  handler: TaskHandler | undefined,
  { id, name, payload, attempt, tries }: RunMessage,
  signal: AbortSignal,
  options: TaskRunnerOptions,
): Promise<{ result?: string; error?: TaskFailure }> {
  if (!handler) return { error: { code: "TASK_UNKNOWN", message: `Task worker ${options.workerId} has no task "${name}"` } };
  let value: unknown;
  try {
    value = await handler(JSON.parse(payload), { id, name, attempt, tries, workerId: options.workerId, kind: "task", bus: options.bus, signal });
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    options.logError(`task "${name}" (${id}) failed on task worker ${options.workerId} (attempt ${attempt} of ${tries}): ${error.stack ?? error.message}`);
    const cause = { name: error.name, message: error.message, stack: error.stack };
    return { error: { code: "TASK_FAILED", message: `Task "${name}" (${id}) failed: ${error.message}`, cause } };
  }
  try {
    return { result: value === undefined ? undefined : encodeJson(value, options.payloadLimit, `result of task "${name}"`) };
  } catch (error) {
    return { error: { code: "TASK_INVALID", message: (error as Error).message } };
  }
}
