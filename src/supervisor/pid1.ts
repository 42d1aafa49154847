import { readdirSync } from "node:fs";
import type { Logger } from "../log.ts";
import { readStat } from "../proc-stat.ts";
import { currentEngine } from "../runtime/detect.ts";
import { loadReaper } from "../runtime/reap.ts";

const SWEEP_MS = 500;

/**
 * As PID 1 (a container's entrypoint) the supervisor inherits every orphaned
 * process in the container and must collect them when they exit, or they stay
 * zombies. The engine reaps the workers it spawned itself; this sweeps
 * /proc for the other zombie children and reaps them through libc's waitpid.
 * Returns a function that stops the sweep.
 */
export async function startPid1Duties(isOwnWorker: (pid: number) => boolean, log: Logger): Promise<() => void> {
  if (process.pid !== 1) return () => {};
  const reaper = await loadReaper();
  if (!reaper) {
    log.warn(
      `running as PID 1 on ${currentEngine()}: orphaned processes cannot be reaped here (no FFI for waitpid). ` +
        "Use an init such as tini or docker run --init, or run lsky on Bun or Deno",
    );
    return () => {};
  }
  const sweep = setInterval(() => {
    for (const pid of zombieChildren(process.pid)) {
      if (!isOwnWorker(pid)) reaper.reap(pid);
    }
  }, SWEEP_MS);
  sweep.unref?.();
  return () => clearInterval(sweep);
}

/** The pids of this process's children that have exited and wait to be reaped. */
export function zombieChildren(parent: number, proc = "/proc"): number[] {
  const zombies: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch {
    return zombies;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(`${proc}/${entry}/stat`);
    if (stat && stat.state === "Z" && stat.ppid === parent) zombies.push(Number(entry));
  }
  return zombies;
}
