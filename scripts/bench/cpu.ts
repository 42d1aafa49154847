import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { processStat } from "../../src/proc-stat.ts";

/**
 * CPU time used by a server's processes, read from /proc. Throughput on a
 * shared two-core machine moves with whatever else runs; the CPU time a
 * server spends per request moves much less, so it is the steadier measure
 * of the cost lsky adds.
 */
export type CpuSnapshot = Map<number, number>;

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime (all threads) of every process whose process group is in `pgids`, in ticks. */
export function snapshotCpu(pgids: readonly number[]): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  if (process.platform !== "linux" || pgids.length === 0) return snapshot;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = processStat(Number(name)); // undefined: exited meanwhile
    if (stat && pgids.includes(stat.pgid)) snapshot.set(Number(name), stat.cpuTicks);
  }
  return snapshot;
}

/** CPU milliseconds the processes present in both snapshots used between them. */
export function cpuMsBetween(before: CpuSnapshot, after: CpuSnapshot): number {
  let ticks = 0;
  for (const [pid, end] of after) {
    const start = before.get(pid);
    if (start !== undefined) ticks += end - start;
  }
  return (ticks * 1000) / clockTicks();
}
