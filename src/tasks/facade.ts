/**
 * What `import { tasks } from "lsky"` gives an app: a facade over the
 * worker's task client on `globalThis.lsky.tasks`, so a copy of lsky in the
 * app's node_modules shares the running server's queue.
 */
import type { TaskOptions, Tasks } from "./app-api.ts";

function current(): Tasks {
  const tasks = (globalThis as { lsky?: { tasks?: Tasks } }).lsky?.tasks;
  if (!tasks) throw new Error('tasks from "lsky" is only available inside an lsky worker');
  return tasks;
}

/** The app's task handlers, run on task workers (docs/TASKS.md). */
export const tasks: Tasks = {
  run: <T>(name: string, payload?: unknown, options?: TaskOptions) => current().run<T>(name, payload, options),
  dispatch: (name: string, payload?: unknown, options?: TaskOptions) => current().dispatch(name, payload, options),
};

/** Makes the worker's task client reachable by the facade (and as `globalThis.lsky.tasks`). */
export function installTasksGlobal(value: Tasks): void {
  const target = globalThis as { lsky?: { tasks?: Tasks } };
  target.lsky ??= {};
  target.lsky.tasks = value;
}
