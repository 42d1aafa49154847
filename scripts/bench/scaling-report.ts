// The scaling suite's section of docs/BENCHMARKS.md: req/s and server CPU
// time per request with 1 and 2 workers, and the 2-worker / 1-worker ratios
// (median of per-round ratios: each round's two turns ran minutes apart at most).
import { contextBlock, failureLines, int, ratio, type RunContext, table, wrkShown } from "./report.ts";
import { series } from "./rounds.ts";
import type { ScalingResult } from "./scaling-suite.ts";
import { defined, median, medianRatio } from "./stats.ts";

export const SCALING_TARGET = 1.8;

export function scalingTable(result: ScalingResult): string {
  const body = result.rows.map(({ engine, label, one, two }) => {
    const med = (id: string, figure: string) => median(defined(series(result, id, figure)));
    const per = (figure: string) => medianRatio(series(result, two.id, figure), series(result, one.id, figure));
    const rpsRatio = per("rps");
    const verdict = Number.isFinite(rpsRatio) ? (rpsRatio >= SCALING_TARGET ? " (met)" : " (missed)") : "";
    const us = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "n/a");
    const errors = [one.id, two.id].flatMap((id) => defined(series(result, id, "errors"))).reduce((s, n) => s + n, 0);
    const rounds = Math.min(defined(series(result, one.id, "rps")).length, defined(series(result, two.id, "rps")).length);
    return [engine, label, int(med(one.id, "rps")), int(med(two.id, "rps")), `${ratio(rpsRatio)}${verdict}`,
      us(med(one.id, "cpuUs")), us(med(two.id, "cpuUs")), ratio(per("cpuUs")), String(errors), String(rounds)];
  });
  const head = ["engine", "server", "req/s, 1 worker", "req/s, 2 workers", `req/s 2w/1w (target >= ${SCALING_TARGET})`,
    "CPU µs/req, 1 worker", "CPU µs/req, 2 workers", "CPU/req 2w/1w", "errors", "rounds"];
  return table(head, body);
}

export function scalingSection(context: RunContext, result: ScalingResult): string {
  const { load, warmup, rounds } = result.settings;
  const commands = result.rows.flatMap((r) => [r.one, r.two]).map((c) => `- ${c.id}: \`${c.command}\``);
  return [
    "### Scaling on a CPU-bound route",
    "",
    contextBlock(context),
    `- Load: \`${wrkShown(load)}\` on / of \`scripts/bench/servers/cpu-app.mjs\` (about 1 ms of JavaScript per request), after ${warmup} s of warm-up; servers and wrk share all CPUs (no pinning); ${rounds} round(s), 1 and 2 workers interleaved per engine; CPU time of every process of the server (supervisor and workers) from /proc`,
    "",
    scalingTable(result),
    "",
    ...failureLines(result.failures),
    "Commands (PORT is a free port the harness picks each round):",
    "",
    commands.join("\n"),
  ].join("\n");
}
