import { readdirSync } from "node:fs";
import { processStat } from "../proc-stat.ts";

const POLL_MS = 50;
const REPORT_EVERY_MS = 5_000;

/**
 * True while a process with this pid runs (signal 0 checks without sending
 * anything). A zombie has exited: it only waits for its parent to collect
 * its status, and a parent that never does (a shell that exited, a container
 * init that does not reap) would otherwise keep `lsky stop` waiting forever.
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !exitedUnreaped(pid);
}

/**
 * A zombie whose threads have all exited; Linux only (/proc), elsewhere a
 * process is taken to be running. The main thread shows "Z" as soon as it
 * exits, but the engines run other threads, and the process's descriptors
 * (its listening port) stay open until the last of them has exited too:
 * `lsky stop` returning before that would leave the port taken a moment.
 */
export function exitedUnreaped(pid: number): boolean {
  if (processStat(pid)?.state !== "Z") return false;
  try {
    return readdirSync(`/proc/${pid}/task`).length <= 1;
  } catch {
    return true; // Reaped meanwhile.
  }
}

/**
 * Resolves once `pid` has exited. `onStillWaiting` is called every 5 s
 * meanwhile, so a long drain says what it waits for instead of hanging silently.
 */
export async function waitForExit(pid: number, onStillWaiting: (waitedMs: number) => void): Promise<void> {
  const started = Date.now();
  let nextReport = started + REPORT_EVERY_MS;
  while (processExists(pid)) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (Date.now() >= nextReport) {
      onStillWaiting(Date.now() - started);
      nextReport += REPORT_EVERY_MS;
    }
  }
}
