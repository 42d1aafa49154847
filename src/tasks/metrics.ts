import type { DurableCounters } from "./durable.ts";
import type { TaskCounters } from "./queue.ts";

/**
 * Whether a server uses tasks at all, for the views that show the queue only
 * then (`lsky status`, the dashboard): task workers, tasks seen, or a cluster's
 * durable tasks.
 */
export function tasksInUse<T extends TaskCounters & { workers: number; durable?: DurableCounters }>(tasks: T | undefined): tasks is T {
  return !!tasks && (tasks.workers > 0 || tasks.done + tasks.failed + tasks.lost > 0 || tasks.durable !== undefined);
}

/** The task queue's Prometheus families (docs/TASKS.md). */
export function taskMetricLines(
  tasks: TaskCounters & { workers: number; durable?: DurableCounters },
  family: (name: string, type: string, help: string) => void,
  lines: string[],
): void {
  const one = (name: string, type: string, help: string, value: number) => {
    family(name, type, help);
    lines.push(`${name} ${value}`);
  };
  one("lsky_task_workers", "gauge", "Task worker processes configured.", tasks.workers);
  one("lsky_tasks_queued", "gauge", "Tasks waiting for a task worker.", tasks.queued);
  one("lsky_tasks_delayed", "gauge", "Tasks waiting for their delay or a retry's backoff.", tasks.delayed);
  one("lsky_tasks_running", "gauge", "Tasks running on a task worker now.", tasks.running);
  one("lsky_tasks_done_total", "counter", "Tasks whose handler returned.", tasks.done);
  one("lsky_tasks_failed_total", "counter", "Tasks that failed their last try (error, timeout, crash of their task worker).", tasks.failed);
  one("lsky_tasks_retried_total", "counter", "Attempts that failed and were tried again.", tasks.retried);
  one("lsky_tasks_lost_total", "counter", "Tasks still waiting or running when the server stopped (each one logged).", tasks.lost);
  if (tasks.durable) durableMetricLines(tasks.durable, one);
}

/** On a cluster: the durable tasks (docs/TASKS.md, "Durable tasks"). */
function durableMetricLines(d: DurableCounters, one: (name: string, type: string, help: string, value: number) => void): void {
  one("lsky_tasks_durable_dispatched_total", "counter", "Durable tasks this node put on Redis.", d.dispatched);
  one("lsky_tasks_durable_claimed_total", "counter", "Durable task attempts this node took from Redis.", d.claimed);
  one("lsky_tasks_durable_done_total", "counter", "Durable tasks whose handler returned on this node.", d.done);
  one("lsky_tasks_durable_failed_total", "counter", "Durable tasks that failed their last try on this node.", d.failed);
  one("lsky_tasks_durable_retried_total", "counter", "Durable task attempts that failed on this node and went back for a retry.", d.retried);
  one("lsky_tasks_durable_returned_total", "counter", "Durable tasks past their visibility timeout that this node's reaper put back in line.", d.returned);
  one("lsky_tasks_durable_given_back_total", "counter", "Durable tasks this node gave back unfinished at stop.", d.givenBack);
  one("lsky_tasks_durable_running", "gauge", "Durable tasks running on this node.", d.running);
  one("lsky_tasks_durable_ready", "gauge", "Durable tasks waiting in the cluster (as last seen, each second).", d.ready);
  one("lsky_tasks_durable_active", "gauge", "Durable tasks claimed by a node in the cluster (as last seen).", d.active);
  one("lsky_tasks_durable_delayed", "gauge", "Durable tasks waiting for their delay or a retry's backoff in the cluster (as last seen).", d.delayed);
}
