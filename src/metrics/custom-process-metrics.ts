/** One custom process as /metrics shows it (docs/PROCESSES.md). */
export interface ProcessGroupStatus {
  name: string;
  instances: number;
  /** Instances running and ready now. */
  up: number;
  /** Instances the restart policy gave up on. */
  givenUp: number;
  /** Restarts after failures since the server started. */
  restarts: number;
}

/**
 * The custom processes' Prometheus families, one series per process. Names
 * are limited to letters, digits, - and _ (process-config.ts), so they need
 * no escaping.
 */
export function processMetricLines(
  groups: readonly ProcessGroupStatus[],
  family: (name: string, type: string, help: string) => void,
  lines: string[],
): void {
  const series = (name: string, type: string, help: string, value: (group: ProcessGroupStatus) => number) => {
    family(name, type, help);
    for (const group of groups) lines.push(`${name}{process="${group.name}"} ${value(group)}`);
  };
  series("lsky_process_up", "gauge", "Instances of each custom process running and ready.", (g) => g.up);
  series("lsky_process_instances", "gauge", "Instances of each custom process configured.", (g) => g.instances);
  series("lsky_process_given_up", "gauge", "Instances of each custom process given up on after repeated failures.", (g) => g.givenUp);
  series("lsky_process_restarts_total", "counter", "Restarts of each custom process after a failure.", (g) => g.restarts);
}
