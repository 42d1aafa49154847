import { LskyError } from "../errors.ts";
import type { TaskOptions, Tasks } from "./app-api.ts";
import type { TaskSupervisorMessage, TaskWorkerMessage } from "./messages.ts";
import { decodeJson, encodeJson, readTaskOptions, taskError } from "./payload.ts";

export interface TaskClientOptions {
  /** Sends to the supervisor; false when the connection is gone. */
  send(message: TaskWorkerMessage): boolean;
  payloadLimit: number;
}

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** `run`: the result is wanted; `dispatch`: the id is. */
  wait: boolean;
}

type Receive<T extends TaskSupervisorMessage["type"]> = (message: Extract<TaskSupervisorMessage, { type: T }>) => void;

/**
 * A worker's `tasks`: it checks the name against the app's own handlers (the
 * same app the task workers load), encodes the payload, submits it to the
 * supervisor's queue and settles when the supervisor answers.
 */
export function createTaskClient(options: TaskClientOptions) {
  const waiting = new Map<number, Waiting>();
  let nextRef = 1;
  let names: Set<string> | undefined;

  const submit = (name: string, payload: unknown, taskOptions: TaskOptions | undefined, wait: boolean) =>
    new Promise<unknown>((resolve, reject) => {
      if (typeof name !== "string" || (names && !names.has(name))) {
        throw new LskyError("TASK_UNKNOWN", `The app has no task ${JSON.stringify(name)}`, { hint: "Task handlers are the functions in the `tasks` object of the app's default export" });
      }
      const spec = readTaskOptions(taskOptions);
      // The result's waiter lives on this node: a task that outlives the node has nobody to answer.
      if (wait && spec.durable) throw new LskyError("TASK_INVALID", `tasks.run("${name}") cannot be durable: it waits for the result here`, { hint: "Use tasks.dispatch for a durable task" });
      const text = encodeJson(payload, options.payloadLimit, `payload of task "${name}"`);
      const ref = nextRef++;
      waiting.set(ref, { resolve, reject, wait });
      if (!options.send({ type: "task-submit", ref, name, payload: text, spec, wait })) {
        waiting.delete(ref);
        reject(new LskyError("TASK_FAILED", `Cannot submit task "${name}": the connection to the supervisor is gone`));
      }
    });

  const tasks: Tasks = {
    run: <T>(name: string, payload?: unknown, taskOptions?: TaskOptions) => submit(name, payload, taskOptions, true) as Promise<T>,
    dispatch: (name: string, payload?: unknown, taskOptions?: TaskOptions) => submit(name, payload, taskOptions, false) as Promise<string>,
  };

  return {
    tasks,
    /** The app's task names: a name not among them is refused at once. */
    setNames(list: string[]): void {
      names = new Set(list);
    },
    receive: receivers(waiting),
    /** The supervisor is gone: every pending task fails. */
    disconnected(): void {
      for (const [ref, entry] of waiting) {
        waiting.delete(ref);
        entry.reject(new LskyError("TASK_FAILED", "The connection to the supervisor closed before the task ended"));
      }
    },
  };
}

/** The supervisor's answers: a dispatch settles with its id, a run with its result or error. */
function receivers(waiting: Map<number, Waiting>) {
  const accepted: Receive<"task-accepted"> = ({ ref, id }) => {
    const entry = waiting.get(ref);
    if (!entry || entry.wait) return;
    waiting.delete(ref);
    entry.resolve(id);
  };
  const result: Receive<"task-result"> = ({ ref, result: text, error }) => {
    const entry = waiting.get(ref);
    if (!entry) return;
    waiting.delete(ref);
    if (error) entry.reject(taskError(error));
    else entry.resolve(decodeJson(text));
  };

  return { "task-accepted": accepted, "task-result": result };
}
