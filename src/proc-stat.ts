import { readFileSync } from "node:fs";

/** What lsky and its tests and benchmarks read from /proc/PID/stat. */
export interface ProcessStat {
  /** The command name, without its parentheses. */
  name: string;
  /** "R", "S", "Z" (a zombie), "T" (stopped)... */
  state: string;
  ppid: number;
  pgid: number;
  /** User plus system CPU time of all the process's threads, in clock ticks (USER_HZ, 100 on Linux). */
  cpuTicks: number;
}

/** Parses /proc/PID/stat: "pid (comm) state ppid pgrp ...", where comm may hold spaces and parentheses. */
export function parseStat(text: string): ProcessStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open === -1 || close < open) return undefined;
  // Fields from the state on; utime and stime are the 14th and 15th of the whole line.
  const fields = text.slice(close + 2).split(" ");
  if (fields.length < 13 || !fields[0]) return undefined;
  return {
    name: text.slice(open + 1, close),
    state: fields[0],
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  };
}

/** Reads a stat file (`/proc/PID/stat`); undefined when it is gone, unreadable or not Linux. */
export function readStat(path: string): ProcessStat | undefined {
  try {
    return parseStat(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** The stat of process `pid`; undefined when it is gone. */
export function processStat(pid: number): ProcessStat | undefined {
  return readStat(`/proc/${pid}/stat`);
}
