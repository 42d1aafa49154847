import type { TaskCounters } from "./queue.ts";

/** The task queue's Prometheus families (docs/TASKS.md). */
export function taskMetricLines(
  tasks: TaskCounters & { workers: number },
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
}
