import { readFileSync } from "node:fs";

/** The fields of /proc/PID/stat lsky reads: the state ("Z" for a zombie) and the parent. */
export interface ProcessStat {
  state: string;
  ppid: number;
}

/** Parses /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses. */
export function parseStat(text: string): ProcessStat | undefined {
  const close = text.lastIndexOf(")");
  if (close === -1) return undefined;
  const [state, ppid] = text.slice(close + 2).split(" ");
  return state && ppid ? { state, ppid: Number(ppid) } : undefined;
}

/** Reads a stat file (`/proc/PID/stat`); undefined when it is gone, unreadable or not Linux. */
export function readStat(path: string): ProcessStat | undefined {
  try {
    return parseStat(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}
