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
  return !isZombie(pid);
}

/** Linux only (/proc); elsewhere a process is taken to be running. */
export function isZombie(pid: number): boolean {
  return processStat(pid)?.state === "Z";
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
