import assert from "node:assert/strict";
import { test } from "node:test";
import { clusterMetricLines, type ClusterStatus } from "./status.ts";

test("the cluster's Prometheus families", () => {
  const status: ClusterStatus = {
    node: "a", redis: "redis://127.0.0.1:6379", state: "down", linkDrops: 1, lastError: "ECONNREFUSED", messagesIn: 4, messagesOut: 7, dropped: 2,
  };
  const lines: string[] = [];
  clusterMetricLines(status, (name, type) => lines.push(`# TYPE ${name} ${type}`), lines);
  const values = lines.filter((line) => !line.startsWith("#"));
  assert.deepEqual(values, [
    "lsky_cluster_up 0", "lsky_cluster_messages_in_total 4", "lsky_cluster_messages_out_total 7",
    "lsky_cluster_dropped_total 2", "lsky_cluster_link_drops_total 1",
  ]);
  assert.ok(lines.includes("# TYPE lsky_cluster_up gauge"));
});
