import assert from "node:assert/strict";
import { test } from "node:test";
import { processMetricLines } from "./custom-process-metrics.ts";

test("one series per process for up, instances, given up and restarts", () => {
  const lines: string[] = [];
  const family = (name: string, type: string) => lines.push(`# TYPE ${name} ${type}`);
  processMetricLines([
    { name: "mailer", instances: 2, up: 1, givenUp: 1, restarts: 11 },
    { name: "legacy", instances: 1, up: 1, givenUp: 0, restarts: 0 },
  ], family, lines);
  assert.deepEqual(lines, [
    "# TYPE lsky_process_up gauge", 'lsky_process_up{process="mailer"} 1', 'lsky_process_up{process="legacy"} 1',
    "# TYPE lsky_process_instances gauge", 'lsky_process_instances{process="mailer"} 2', 'lsky_process_instances{process="legacy"} 1',
    "# TYPE lsky_process_given_up gauge", 'lsky_process_given_up{process="mailer"} 1', 'lsky_process_given_up{process="legacy"} 0',
    "# TYPE lsky_process_restarts_total counter", 'lsky_process_restarts_total{process="mailer"} 11', 'lsky_process_restarts_total{process="legacy"} 0',
  ]);
});
