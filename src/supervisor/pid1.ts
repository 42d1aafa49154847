import { readdirSync, readFileSync } from "node:fs";
import type { Logger } from "../log.ts";
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

/** Parses /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses. */
export function parseStat(text: string): { state: string; ppid: number } | undefined {
  const close = text.lastIndexOf(")");
  if (close === -1) return undefined;
  const [state, ppid] = text.slice(close + 2).split(" ");
  return state && ppid ? { state, ppid: Number(ppid) } : undefined;
}

function readStat(path: string): { state: string; ppid: number } | undefined {
  try {
    return parseStat(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}
