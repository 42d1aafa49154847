import { execFileSync } from "node:child_process";
import { processStat } from "../../../src/proc-stat.ts";

let ticks: number | undefined;

/** utime + stime of one process (all its threads) in ms, from /proc; 0 where there is none. */
export function pidCpuMs(pid: number): number {
  ticks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return ((processStat(pid)?.cpuTicks ?? 0) * 1000) / ticks;
}
