// The cluster suite's Markdown for docs/BENCHMARKS.md: medians over rounds,
// and each side's rate over its peer's as the median of per-round ratios.
import { contextBlock, failureLines, int, type RunContext, table } from "../report.ts";
import { defined, median, medianRatio } from "../stats.ts";
import type { PublishRun } from "./publish.ts";
import { BULLMQ, type ClusterResult, LSKY_DURABLE, SOCKET_IO } from "./suite.ts";
import type { JobsRun, TasksRun } from "./tasks-run.ts";

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : "n/a");
const us = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} µs` : "n/a");

function medianOf<T>(runs: (T | undefined)[], field: (run: T) => number): number {
  return median(defined(runs.map((run) => (run === undefined ? undefined : field(run)))));
}

function publishTable(result: ClusterResult): string {
  const peer = result.publish.get(SOCKET_IO) ?? [];
  const rows = [...result.publish].map(([id, runs]) => {
    const rate = (r: (PublishRun | undefined)[]) => r.map((run) => run?.perSecond);
    const of = (field: (run: PublishRun) => number) => medianOf(runs, field);
    return [id, ms(of((r) => r.medianMs)), ms(of((r) => r.p99Ms)), `${int(of((r) => r.perSecond))}/s`,
      id === SOCKET_IO ? "1" : medianRatio(rate(runs), rate(peer)).toFixed(2), us(of((r) => r.cpuUsPerMessage))];
  });
  return table(["two nodes", "publish→receive median", "p99", "burst received on node b", "rate / Socket.IO", "CPU per message (nodes + Redis)"], rows);
}

function taskRows(id: string, runs: (TasksRun | undefined)[], peer: (TasksRun | undefined)[]): string[][] {
  return (["bulk", "single"] as const).map((way) => {
    const of = (field: (run: JobsRun) => number) => medianOf(runs, (run) => field(run[way]));
    const rate = (r: (TasksRun | undefined)[]) => r.map((run) => run?.[way].perSecond);
    return [id, way === "bulk" ? "all at once" : "one after another", `${int(of((r) => r.perSecond))}/s`,
      id === BULLMQ ? "1" : medianRatio(rate(runs), rate(peer)).toFixed(2),
      ms(of((r) => r.medianMs)), ms(of((r) => r.p99Ms)), us(of((r) => r.cpuUsPerJob)), us(of((r) => r.redisUsPerJob))];
  });
}

function tasksTable(result: ClusterResult): string {
  const peer = result.tasks.get(BULLMQ) ?? [];
  const rows = [...result.tasks].filter(([, runs]) => runs.length > 0).flatMap(([id, runs]) => taskRows(id, runs, peer));
  return table(["queue", "jobs added", "jobs/s", "rate / BullMQ", "add→handler end median", "p99", "CPU per job", "of which Redis"], rows);
}

export function clusterSection(context: RunContext, result: ClusterResult): string {
  const { publishSizes: p, taskSizes: t, settings } = result;
  return [
    "### Cluster: cross-node publish beside Socket.IO, durable tasks beside BullMQ",
    "",
    contextBlock(context),
    `- One redis-server (${settings.rounds} round(s), sides interleaved, each round starting one later, Redis flushed between turns; medians over rounds, ratios are medians of per-round ratios)`,
    "- Publish: two lsky nodes (`--workers 1 --cluster-redis …`, test/fixtures/ws-app.ts, `sockets.publish` to a room) per target, beside two Socket.IO servers (scripts/bench/cluster/socketio-server.mjs, `io.to(room).emit`) on two ports; one client on each node (raw WebSocket for lsky, socket.io-client over WebSocket for Socket.IO), payloads `p0`, `p1`…",
    `- ${p.count} publishes from node a's client one at a time (publish→received by both clients; after 100 unmeasured), then a burst of ${p.burst} (rate at which node b's client receives them; CPU time of both nodes and redis-server per message)`,
    "",
    publishTable(result),
    "",
    `- Durable tasks: an empty handler; after an unmeasured run of ${t.bulk} jobs on each side, ${t.bulk} jobs added at once (BullMQ \`addBulk\`; lsky: that many \`tasks.dispatch(…, { durable: true })\` in flight), then ${t.single} added one after another (each add awaited). jobs/s from the first add to the last handler's end; add→handler end per job (on both sides: lsky's app sees no later point); CPU of producer, workers and redis-server per job. Completed jobs removed (\`removeOnComplete\`)`,
    ...(result.durableUnavailable ? [`- lsky durable: not available in this build (${result.durableUnavailable})`] : []),
    "",
    tasksTable(result),
    "",
    ...failureLines(result.failures),
  ].join("\n").trimEnd();
}
