import { loadLibc } from "./libc.ts";
import { TIED_PARENT_ENV } from "./role-names.ts";
import type { Engine } from "./types.ts";

const PR_SET_PDEATHSIG = 1;
const SIGKILL = 9;
// How often the Node watchdog thread looks at its parent; the bound on an orphan's life there.
export const PARENT_CHECK_MS = 100;

/** Which way a worker was tied to its supervisor (returned for tests and diagnostics). */
export type ParentTie = "pdeathsig" | "watchdog-thread" | "none";

/**
 * Makes this process die (SIGKILL) as soon as its parent does, even while its
 * own event loop is blocked by the app: the bus disconnect that normally
 * stops an orphaned worker is an event the blocked loop never sees.
 *
 * Bun and Deno ask the kernel (prctl PR_SET_PDEATHSIG through libc). The
 * signal fires when the *thread* that forked us exits, not the process; Bun
 * and Deno spawn from their main thread (checked: a worker survives a
 * supervisor idle well past Tokio's 10 s blocking-thread keep-alive), so it
 * fires exactly when the supervisor dies. Node has no FFI: a worker_threads
 * thread, whose event loop the app cannot block, compares process.ppid every
 * PARENT_CHECK_MS. Both are fallbacks: a supervisor with setpriv starts its
 * children through it (tied-launch.ts), so they are tied before they run.
 */
export async function dieWithParent(engine: Engine): Promise<ParentTie> {
  const tiedTo = takeTiedParent();
  const parent = tiedTo ?? process.ppid;
  const tie = tiedTo !== undefined ? "pdeathsig" : engine === "node" ? await startWatchdogThread(parent) : await setDeathSignal(engine, parent);
  // The parent may have died before the tie was made: then nothing fires.
  if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
  return tie;
}

/**
 * The parent that started this process through setpriv (tied-launch.ts), which
 * already set the death signal. Taken out of the environment: the app's own
 * children were not started that way.
 */
function takeTiedParent(): number | undefined {
  const value = process.env[TIED_PARENT_ENV];
  if (value === undefined) return undefined;
  delete process.env[TIED_PARENT_ENV];
  const pid = Number(value);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Without FFI (a libc under another name, no permission) the Node way is tried instead. */
async function setDeathSignal(engine: "bun" | "deno", parent: number): Promise<ParentTie> {
  const libc = await loadLibc(engine, { prctl: { args: ["i32", "u64", "u64", "u64", "u64"], returns: "i32" } });
  if (!libc) return startWatchdogThread(parent);
  const zero = libc.wide(0);
  const result = Number(libc.fn.prctl(PR_SET_PDEATHSIG, libc.wide(SIGKILL), zero, zero, zero));
  return result === 0 ? "pdeathsig" : startWatchdogThread(parent);
}

// Plain script (CommonJS in a Node worker): sleeps with Atomics.wait, which
// needs no event loop, and kills the whole process when it was re-parented.
const WATCHDOG_SOURCE = `
const { workerData } = require("node:worker_threads");
const cell = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  Atomics.wait(cell, 0, 0, workerData.intervalMs);
  if (process.ppid !== workerData.parent) process.kill(process.pid, "SIGKILL");
}
`;

async function startWatchdogThread(parent: number): Promise<ParentTie> {
  try {
    const { Worker } = await import("node:worker_threads");
    // Its cost is a V8 isolate: about 9 MB of resident memory per worker
    // (measured; smaller resourceLimits save little, and too small kill it).
    const thread = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { parent, intervalMs: PARENT_CHECK_MS } });
    thread.unref();
    thread.on("error", () => {});
    return "watchdog-thread";
  } catch {
    return "none";
  }
}
