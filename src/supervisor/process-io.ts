import { readFileSync } from "node:fs";

/**
 * How many read and write system calls a process has made (Linux
 * /proc/<pid>/io, readable for one's own children); undefined where it cannot
 * be read. A worker whose event loop is stuck in JavaScript makes none; one
 * that is overloaded (thousands of connections handled in one long turn of
 * its loop) makes them all the time, though it cannot send a heartbeat.
 */
export function readSyscallCount(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/io`, "utf8");
    const read = /^syscr:\s*(\d+)/m.exec(text);
    const write = /^syscw:\s*(\d+)/m.exec(text);
    return read && write ? Number(read[1]) + Number(write[1]) : undefined;
  } catch {
    return undefined;
  }
}
