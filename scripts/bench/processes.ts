import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** A process the harness started, in its own process group. */
export interface Started {
  readonly pid: number;
  readonly exited: Promise<void>;
  /** Whether it has exited. */
  done(): boolean;
  /** stdout and stderr as they arrived (the tail, for error messages). */
  output(): string;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Pin the process (and its children) to these CPUs with taskset, e.g. "0". */
  cpus?: string;
  /**
   * Run this many copies side by side in one session, under one `sh` that
   * leads their process group (default 1: the command itself leads it).
   */
  copies?: number;
}

const OUTPUT_TAIL = 8_000;
const live = new Set<number>();

// Whatever is still running when the harness exits (an error, Ctrl-C) is
// killed by process group id, never by name.
process.on("exit", () => {
  for (const pid of live) signalGroup(pid, "SIGKILL");
});

/** Starts a command detached (its own process group), capturing its output. */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}): Started {
  const [cmd, argv] = inCopies(options.copies ?? 1, options.cpus ? ["taskset", ["-c", options.cpus, command, ...args]] : [command, args]);
  const child: ChildProcess = spawn(cmd, argv, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`Cannot start "${command}"`);
  const pid = child.pid;
  live.add(pid);
  let text = "";
  let finished = false;
  const collect = (chunk: string) => (text = (text + chunk).slice(-OUTPUT_TAIL));
  child.stdout!.setEncoding("utf8").on("data", collect);
  child.stderr!.setEncoding("utf8").on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => {
    finished = true;
    resolve();
  }));
  child.once("error", (error) => collect(`\n${error.message}\n`));
  return { pid, exited, done: () => finished, output: () => text };
}

/**
 * Several copies of a command (a peer such as 2 x Bun.serve with reusePort)
 * go in one session, like an lsky pool. A session is a scheduling group of
 * its own where the kernel groups by session (sched_autogroup_enabled, on
 * here): two copies started detached each, on the CPU they share with a
 * one-session pool, got two thirds of it (measured: lsky's pool served
 * 0.41 of the peer's requests at 1.2 times its CPU per request).
 */
function inCopies(copies: number, [command, args]: [string, string[]]): [string, string[]] {
  if (copies === 1) return [command, args];
  return ["sh", ["-c", `${'"$@" & '.repeat(copies)}wait`, "sh", command, ...args]];
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Stops a started process: SIGTERM to the leader (the server's own graceful
 * path), then SIGKILL to the whole group if it has not exited in time, and
 * SIGKILL to the group anyway so no child outlives it.
 */
export async function stopProcess(proc: Started, graceMs = 5_000): Promise<void> {
  if (!proc.done()) {
    try {
      process.kill(proc.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([proc.exited, timer]);
  }
  signalGroup(proc.pid, "SIGKILL");
  await proc.exited;
  live.delete(proc.pid);
}

/** Runs a command to its end and returns its output; throws on a non-zero exit. */
export function runToEnd(command: string, args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): string {
  const result = spawnSync(command, args, {
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
    timeout: timeoutMs,
  });
  if (result.error) throw new Error(`"${command} ${args.join(" ")}" failed: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`"${command} ${args.join(" ")}" exited with ${result.status}: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** A port that was free a moment ago (the kernel's pick), on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when the process with this pid no longer exists. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
