import { type ChildProcess, spawn } from "node:child_process";
import type { EventEmitter } from "node:events";
import cluster from "node:cluster";
import { PassThrough, Readable } from "node:stream";
import { markCloseOnExec } from "./close-on-exec.ts";
import { currentEngine } from "./detect.ts";
import { ACCESS_LOG_FD, ACCESS_LOG_FD_ENV, PROCESS_ROLE_ARG, SPARE_WORKER_ENV, WORKER_ROLE_ARG } from "./role-names.ts";
import { selfLaunchCommand } from "./launch.ts";
import { signalChild, signalGroup } from "./signal-child.ts";
import { tiedLaunch } from "./tied-launch.ts";

/** A started worker process, whichever way it was started. */
export interface WorkerProcess {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** A worker's access-log pipe (ACCESS_LOG_FD_ENV); other processes have none. */
  readonly accessLog?: Readable;
  kill(signal: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

/**
 * A start the host refused (no descriptors or processes left). Every engine
 * reports why only a tick later, as an `error` event: `reason` settles with
 * it. Without a listener that event would be thrown as an uncaught
 * exception and take the supervisor down.
 */
export class SpawnRefusedError extends Error {
  constructor(message: string, readonly reason: Promise<Error>) {
    super(message);
    this.name = "SpawnRefusedError";
  }
}

function refused(emitter: EventEmitter, command: string): SpawnRefusedError {
  const reason = new Promise<Error>((resolve) => {
    emitter.once("error", resolve);
    setTimeout(() => resolve(new Error("the engine gave no reason")), 1000);
  });
  return new SpawnRefusedError(`could not start ${command}`, reason);
}

/**
 * Starts lsky again in the worker role. On Node the worker is a `node:cluster`
 * worker: Node 20 has no SO_REUSEPORT, and cluster lets every worker's
 * `listen()` share the supervisor's socket. Bun and Deno workers are plain
 * children that bind the port themselves with SO_REUSEPORT.
 *
 * `accessLogPipe`: the worker gets a pipe for its access log (ACCESS_LOG_FD).
 * Only a worker that logs gets one: Deno passes a descriptor it inherited on
 * to every process the app starts, where it would hold the supervisor's end
 * open after the worker is gone. A worker without it logs to stdout.
 */
export function spawnWorkerProcess(env: Record<string, string>, appEntry?: string, accessLogPipe = false): WorkerProcess {
  return currentEngine() === "node" ? forkCluster(env, accessLogPipe).worker : spawnChild(env, appEntry, WORKER_ROLE_ARG, accessLogPipe);
}

/** A worker process booted ahead of need, waiting for its instructions. */
export interface SpareWorkerProcess extends WorkerProcess {
  /** False once it exited: it can no longer be given a spec. */
  alive(): boolean;
  /** Hands it its spec (the JSON of WORKER_SPEC_ENV): it then runs as a worker started with it would. */
  start(spec: string): void;
}

/**
 * Starts a worker that boots the engine and lsky, then waits on stdin for
 * its spec. Started before a --watch reload needs it, it takes the process
 * start off the time from a save to the new code serving. The supervisor
 * gone (stdin closed) before it got a spec, it exits.
 */
export function spawnSpareWorker(env: Record<string, string>, appEntry?: string, accessLogPipe = false): SpareWorkerProcess {
  const spareEnv = { ...env, [SPARE_WORKER_ENV]: "1" };
  if (currentEngine() === "node") {
    // Cluster workers are forked with a stdin pipe too.
    const { worker, stdin } = forkCluster(spareEnv, accessLogPipe);
    return asSpare(worker, stdin);
  }
  const { child, command } = spawnChildWith(spareEnv, appEntry, WORKER_ROLE_ARG, "pipe", accessLogPipe);
  return asSpare(wrapChild(child, command), child.stdin!);
}

function asSpare(worker: WorkerProcess, stdin: NodeJS.WritableStream): SpareWorkerProcess {
  let exited = false;
  worker.onExit(() => (exited = true));
  // A spare that exits before its spec is written must not take the supervisor down with EPIPE.
  (stdin as unknown as EventEmitter).on("error", () => {});
  return { ...worker, alive: () => !exited, start: (spec) => void stdin.end(`${spec}\n`) };
}

/**
 * Starts lsky again as a custom module process: a plain child on every
 * engine (it shares no port, so Node's cluster has nothing to give it).
 */
export function spawnProcessRole(env: Record<string, string>, module: string): WorkerProcess {
  return spawnChild(env, module, PROCESS_ROLE_ARG);
}

// Custom processes get a process group of their own: a signal to lsky's group
// (Ctrl-C, `timeout`) must not stop them behind the supervisor's back, which
// would count as a crash and restart them while the server stops. The
// supervisor stops them itself, after the HTTP workers.
const OWN_GROUP = { detached: true } as const;

/**
 * Starts a custom command process (["python3", "legacy.py"]) in `cwd`. A
 * program that cannot be run (not found, not executable) is the config's
 * fault, not the host's: it "exits" with 127 as under a shell, so it counts
 * towards giving up on the process instead of being retried forever.
 */
export function spawnCommand(argv: readonly string[], cwd: string, env: Record<string, string>): WorkerProcess {
  let child: ChildProcess;
  try {
    markCloseOnExec();
    child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], ...OWN_GROUP });
  } catch (error) {
    return notStarted(argv[0]!, Promise.resolve(error as Error));
  }
  if (child.pid !== undefined) return { ...wrapChild(child, argv[0]!), kill: (signal) => signalGroup(child, signal) };
  return notStarted(argv[0]!, new Promise((resolve) => child.once("error", resolve)));
}

function notStarted(program: string, reason: Promise<Error>): WorkerProcess {
  const stderr = new PassThrough();
  const exits: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
  void reason.then((error) => {
    stderr.end(`cannot run "${program}": ${error.message}\n`);
    setTimeout(() => exits.splice(0).forEach((listener) => listener(127, null)), 0);
  });
  return {
    pid: -Math.floor(Math.random() * 1e9) - 1,
    stdout: Readable.from([]),
    stderr,
    kill: () => {},
    onExit: (listener) => void exits.push(listener),
  };
}

function spawnChild(env: Record<string, string>, appEntry: string | undefined, role: string, accessLogPipe = false): WorkerProcess {
  const { child, command } = spawnChildWith(env, appEntry, role, "ignore", accessLogPipe);
  return wrapChild(child, command);
}

/** Starts lsky in `role`; `command` is lsky's own (for messages), not the setpriv it may run through. */
function spawnChildWith(env: Record<string, string>, appEntry: string | undefined, role: string, stdin: "ignore" | "pipe", accessLogPipe: boolean): { child: ChildProcess; command: string } {
  const self = selfLaunchCommand(appEntry);
  const io = withAccessLogPipe({ ...process.env, ...env } as Record<string, string>, [stdin, "pipe", "pipe"], accessLogPipe);
  const launch = tiedLaunch({ ...self, args: [...self.args, role], env: io.env });
  markCloseOnExec();
  const child = spawn(launch.command, launch.args, {
    env: launch.env,
    stdio: io.stdio,
    ...(role === PROCESS_ROLE_ARG ? OWN_GROUP : {}),
  });
  return { child, command: self.command };
}

function wrapChild(child: ChildProcess, command: string): WorkerProcess {
  if (child.pid === undefined) throw refused(child, command);
  return {
    pid: child.pid,
    stdout: child.stdout!,
    stderr: child.stderr!,
    accessLog: accessLogOf(child),
    kill: (signal) => signalChild(child, signal),
    onExit: (listener) => void child.once("exit", listener),
  };
}

function forkCluster(env: Record<string, string>, accessLogPipe: boolean): { worker: WorkerProcess; stdin: NodeJS.WritableStream } {
  const { args } = selfLaunchCommand();
  // Each worker accepts from the one shared socket (SCHED_NONE) rather than
  // the supervisor accepting and handing connections out (round-robin):
  // measured here, round-robin lost a few connections per ten reloads under a
  // connection storm (a handle sent to a worker as it exits is never answered),
  // while a shared socket keeps its queue when a draining worker lets go.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const forked = forkTied(args[0]!, env, accessLogPipe);
  const child = forked.process;
  if (child.pid === undefined) {
    // The cluster re-emits the child's error on the worker, and keeps the
    // worker in its table until an exit that never comes.
    forked.on("error", () => {});
    delete cluster.workers?.[forked.id];
    throw refused(child, "a cluster worker");
  }
  const worker: WorkerProcess = {
    pid: child.pid!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    accessLog: accessLogOf(child),
    kill: (signal) => void child.kill(signal),
    onExit: (listener) => void child.once("exit", listener),
  };
  return { worker, stdin: child.stdin! };
}

/**
 * cluster.fork() always runs process.execPath, with no option to start it
 * through a wrapper: the wrapper (tied-launch.ts) becomes process.execPath for
 * the one synchronous call that spawns, and Node itself its first argument.
 */
function forkTied(script: string, env: Record<string, string>, accessLogPipe: boolean): ReturnType<typeof cluster.fork> {
  const node = process.execPath;
  // What `silent: true` gives (pipes for stdin, stdout and stderr), the
  // access-log pipe if asked for, and the cluster's channel after them.
  const io = withAccessLogPipe(env, ["pipe", "pipe", "pipe"], accessLogPipe);
  const launch = tiedLaunch({ command: node, args: [], env: io.env });
  cluster.setupPrimary({ exec: script, args: [WORKER_ROLE_ARG], execArgv: launch.args, stdio: [...io.stdio, "ipc"] });
  process.execPath = launch.command;
  try {
    return cluster.fork(launch.env);
  } finally {
    process.execPath = node;
  }
}

type StdioEntry = "pipe" | "ignore";

/** The standard streams, plus the access-log pipe at ACCESS_LOG_FD and its variable when asked for. */
function withAccessLogPipe(env: Record<string, string>, standard: [StdioEntry, StdioEntry, StdioEntry], accessLogPipe: boolean) {
  if (!accessLogPipe) return { env, stdio: standard as StdioEntry[] };
  return { env: { ...env, [ACCESS_LOG_FD_ENV]: String(ACCESS_LOG_FD) }, stdio: [...standard, "pipe"] as StdioEntry[] };
}

function accessLogOf(child: ChildProcess): Readable | undefined {
  const pipe = child.stdio[ACCESS_LOG_FD];
  return pipe instanceof Readable ? pipe : undefined;
}
