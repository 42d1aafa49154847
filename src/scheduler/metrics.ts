import type { JobStatus } from "./job-state.ts";

/**
 * The scheduler's Prometheus families, one series per job. Job names are
 * limited to letters, digits and `._:-` (spec.ts), so they need no escaping.
 */
export function scheduleMetricLines(
  jobs: readonly JobStatus[],
  family: (name: string, type: string, help: string) => void,
  lines: string[],
): void {
  const counter = (name: string, help: string, value: (job: JobStatus) => number) => {
    family(name, "counter", help);
    for (const job of jobs) lines.push(`${name}{job="${job.name}"} ${value(job)}`);
  };
  counter("lsky_schedule_runs_total", "Runs of each scheduled job started (once per tick in the whole pool).", (j) => j.runs);
  counter("lsky_schedule_failures_total", "Runs of each scheduled job that threw, or whose worker exited during the run.", (j) => j.failures);
  counter("lsky_schedule_skips_total", "Ticks of each scheduled job skipped because its previous run was still going.", (j) => j.skips);
  counter("lsky_schedule_missed_total", "Ticks of each scheduled job that passed without a run: no ready worker, or the supervisor was paused.", (j) => j.missed);
  if (jobs.some((job) => job.cluster)) clusterLines(jobs, counter);
  family("lsky_schedule_running", "gauge", "Runs of each scheduled job going on now.");
  for (const job of jobs) lines.push(`lsky_schedule_running{job="${job.name}"} ${job.running}`);
  family("lsky_schedule_last_duration_seconds", "gauge", "How long the last finished run of each scheduled job took.");
  for (const job of jobs) {
    if (job.lastDurationMs !== null) lines.push(`lsky_schedule_last_duration_seconds{job="${job.name}"} ${job.lastDurationMs / 1000}`);
  }
}

/** The cluster lock's counters (--cluster-redis only); `lsky_schedule_runs_total` counts this node's runs. */
function clusterLines(jobs: readonly JobStatus[], counter: (name: string, help: string, value: (job: JobStatus) => number) => void): void {
  counter("lsky_schedule_elsewhere_total", "Ticks of each scheduled job another node of the cluster claimed and ran, so this node did not.", (j) => j.cluster?.elsewhere ?? 0);
  counter("lsky_schedule_lock_errors_total", "Ticks of each scheduled job not run here because the cluster lock could not be taken (Redis away, an error, no answer).", (j) => j.cluster?.lockErrors ?? 0);
  counter("lsky_schedule_locks_lost_total", "Runs of each scheduled job whose cluster lock expired or passed to another run before they ended.", (j) => j.cluster?.locksLost ?? 0);
}
