import { readdirSync } from "node:fs";
import { loadLibc } from "./libc.ts";
import type { Engine } from "./types.ts";

/**
 * Deno's `node:net` makes a listener on a path, and the connections it
 * accepts, without close-on-exec, and Deno's spawn passes every descriptor
 * without it to the child. Left alone, each worker, task worker and custom
 * process of a Deno supervisor would hold the supervisor's bus and control
 * listeners and the bus connections of the workers started before it, and
 * pass them on to every process the app starts: a process that outlives the
 * supervisor keeps its control socket answering nobody. So before it spawns,
 * a Deno supervisor marks each such descriptor close-on-exec (fcntl through
 * FFI). Node and Bun open everything close-on-exec themselves.
 */

// fcntl(2) on Linux.
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;

type Fcntl = (fd: number, command: number, argument: number) => number;

let fcntl: Fcntl | undefined;

/** Opens fcntl where the engine needs it (Deno); without FFI permission nothing is marked. */
export async function prepareCloseOnExec(engine: Engine): Promise<void> {
  if (engine !== "deno" || fcntl) return;
  const libc = await loadLibc(engine, { fcntl: { args: ["i32", "i32", "i32"], returns: "i32" } });
  if (libc) fcntl = (fd, command, argument) => Number(libc.fn.fcntl(fd, command, argument));
}

/** Marks every descriptor above stderr close-on-exec; how many it changed (0 unless prepared). */
export function markCloseOnExec(): number {
  if (!fcntl) return 0;
  let marked = 0;
  for (const fd of openDescriptors()) {
    if (fd <= 2) continue;
    const flags = fcntl(fd, F_GETFD, 0);
    // -1: closed since the listing (the listing's own descriptor among them).
    if (flags < 0 || (flags & FD_CLOEXEC) !== 0) continue;
    if (fcntl(fd, F_SETFD, flags | FD_CLOEXEC) === 0) marked++;
  }
  return marked;
}

function openDescriptors(): number[] {
  try {
    return readdirSync("/proc/self/fd").map(Number);
  } catch {
    // No /proc (or no descriptor left to read it): nothing to mark.
    return [];
  }
}
