import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "./ports.ts";
import { ROOT, type Target } from "./targets.ts";
import { waitFor } from "./wait.ts";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running lsky (supervisor) started by a test. */
export interface LskyProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal to the supervisor. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<Exit>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Wait for the start line (default true). */
  waitReady?: boolean;
  /** Pass --port with a free port (default true). */
  port?: number | false;
  /** Run through this command, e.g. ["ip", "netns", "exec", "ns1"]. */
  prefix?: string[];
  /** What precedes the arguments (default ["serve"]; [] for an executable made by lsky compile). */
  command?: string[];
}

const live = new Set<ChildProcess>();
/** When each live process was spawned, in spawn order, for killing a suite's own. */
const spawnOrder = new WeakMap<ChildProcess, number>();
let spawned = 0;

// Every process a test starts is in its own process group; whatever is left
// when the test process exits is killed by group id (never by name).
process.on("exit", () => {
  for (const child of live) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills every process a test started that is still running (for after hooks). */
export function killAll(): void {
  for (const child of live) killGroup(child, "SIGKILL");
}

/** A mark for killStartedSince: how many processes have been spawned so far. */
export function spawnMark(): number {
  return spawned;
}

/**
 * Kills what was spawned after `mark` and still runs: a suite's own leftovers
 * (a test that failed before its stop), so that a server left running cannot
 * make the next suite's start in the same directory refuse to run.
 */
export async function killStartedSince(mark: number): Promise<void> {
  const leftovers = [...live].filter((child) => (spawnOrder.get(child) ?? 0) > mark);
  for (const child of leftovers) killGroup(child, "SIGKILL");
  await Promise.all(leftovers.map(exitOf));
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export function spawnTarget(target: Target, args: string[], options: StartOptions = {}): ChildProcess {
  const [command, ...prefixArgs] = [...(options.prefix ?? []), target.command];
  const child = spawn(command!, [...prefixArgs, ...target.args, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  live.add(child);
  spawnOrder.set(child, ++spawned);
  child.once("exit", () => {
    // Keep the group tracked until its workers are gone too: the supervisor
    // may exit first in fault tests.
    setTimeout(() => live.delete(child), 5000).unref();
  });
  return child;
}

/** Starts `lsky serve ...args` on a free port and waits for its start line. */
export async function startLsky(target: Target, args: string[], options: StartOptions = {}): Promise<LskyProcess> {
  const port = options.port === false ? 0 : options.port ?? await freePort();
  const portArgs = options.port === false ? [] : ["--port", String(port)];
  const child = spawnTarget(target, [...(options.command ?? ["serve"]), ...args, ...portArgs], options);
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (out.push(s), all.push(s)));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (err.push(s), all.push(s)));
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let done: Exit | undefined;
  void exited.then((e) => (done = e));
  const proc: LskyProcess = {
    child,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    exited,
    stdout: () => out.join(""),
    stderr: () => err.join(""),
    output: () => all.join(""),
    waitForOutput: (pattern, timeoutMs) =>
      waitFor(`output matching ${pattern}`, () => {
        const match = all.join("").match(pattern);
        if (match) return match;
        if (done) throw new Error(`lsky exited (${JSON.stringify(done)}) first; output:\n${all.join("")}`);
        return undefined;
      }, timeoutMs),
    signal: (signal) => void child.kill(signal),
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
  if (options.waitReady !== false) await proc.waitForOutput(/serving .* at http/, 30_000);
  return proc;
}

export interface RunResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs a one-shot lsky command (status, stop, --help, a failing serve) to its end. */
export function runLsky(target: Target, args: string[], options: StartOptions = {}, timeoutMs = 60_000): Promise<RunResult> {
  const child = spawnTarget(target, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, "SIGKILL");
      reject(new Error(`lsky ${args.join(" ")} did not finish in ${timeoutMs} ms; output:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      // stdio may still hold buffered output after exit; wait for it to close.
      child.once("close", () => resolve({ code, signal, stdout, stderr }));
      if (child.stdout!.closed && child.stderr!.closed) resolve({ code, signal, stdout, stderr });
    });
  });
}
