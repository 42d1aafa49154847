import assert from "node:assert/strict";
import { test } from "node:test";
import type { JobStatus } from "./job-state.ts";
import { scheduleMetricLines } from "./metrics.ts";

const job: JobStatus = {
  name: "beat", timing: "every 200ms", overlap: false, nextRun: null, lastRun: null, lastDurationMs: null,
  lastResult: null, lastError: null, running: 0, runs: 12, failures: 0, skips: 1, missed: 0,
};

function render(jobs: JobStatus[]): string {
  const lines: string[] = [];
  scheduleMetricLines(jobs, (name, type) => lines.push(`# TYPE ${name} ${type}`), lines);
  return lines.join("\n");
}

test("a server on its own has no cluster lock families", () => {
  assert.doesNotMatch(render([job]), /elsewhere|lock_errors|locks_lost/);
});

test("on a cluster each job has its lock counters", () => {
  const text = render([{ ...job, cluster: { elsewhere: 13, lockErrors: 2, locksLost: 1 } }]);
  assert.match(text, /^lsky_schedule_runs_total\{job="beat"\} 12$/m);
  assert.match(text, /^# TYPE lsky_schedule_elsewhere_total counter$/m);
  assert.match(text, /^lsky_schedule_elsewhere_total\{job="beat"\} 13$/m);
  assert.match(text, /^lsky_schedule_lock_errors_total\{job="beat"\} 2$/m);
  assert.match(text, /^lsky_schedule_locks_lost_total\{job="beat"\} 1$/m);
});
