// Memory of running processes, read from /proc (Linux). RSS counts every
// resident page a process maps, shared or not; PSS splits each shared page
// among the processes mapping it, so two workers of one executable do not
// each count the executable's pages in full.
import { readdirSync, readFileSync } from "node:fs";
import { parseStat } from "../../src/proc-stat.ts";

export interface ProcessMemory {
  pid: number;
  /** Resident set size, kB (VmRSS). */
  rssKb: number;
  /** Of the RSS: anonymous pages (heaps, malloc, thread stacks), kB (RssAnon). */
  anonKb?: number;
  /** Of the RSS: file-backed pages (the engine's executable and libraries), kB (RssFile). */
  fileKb?: number;
  /** Proportional set size, kB (Pss in smaps_rollup); undefined when unreadable. */
  pssKb?: number;
}

/** A "Name:   1234 kB" field of /proc/PID/status or smaps_rollup, in kB; undefined when absent. */
export function kbField(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The parent pid in the text of /proc/PID/stat (the command name may hold spaces and parentheses). */
export function parentPid(stat: string): number {
  return parseStat(stat)?.ppid ?? Number.NaN;
}

/** The pids among `stats` (pid -> /proc/PID/stat text) whose parent is `pid`, ascending. */
export function childrenIn(stats: ReadonlyMap<number, string>, pid: number): number[] {
  return [...stats].filter(([, stat]) => parentPid(stat) === pid).map(([child]) => child).sort((a, b) => a - b);
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // Exited meanwhile, or not ours to read.
  }
}

/** The pids whose parent is `pid` right now. */
export function childPids(pid: number): number[] {
  const stats = new Map<number, string>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOr(`/proc/${name}/stat`);
    if (stat !== undefined) stats.set(Number(name), stat);
  }
  return childrenIn(stats, pid);
}

/** RSS and PSS of one process; throws when it is gone. */
export function processMemory(pid: number): ProcessMemory {
  const status = readOr(`/proc/${pid}/status`);
  const rssKb = status === undefined ? undefined : kbField(status, "VmRSS");
  if (rssKb === undefined) throw new Error(`No VmRSS for pid ${pid} (has it exited?)`);
  const rollup = readOr(`/proc/${pid}/smaps_rollup`);
  const pssKb = rollup === undefined ? undefined : kbField(rollup, "Pss");
  return { pid, rssKb, anonKb: kbField(status!, "RssAnon"), fileKb: kbField(status!, "RssFile"), pssKb };
}
