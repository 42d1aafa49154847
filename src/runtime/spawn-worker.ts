import { spawn } from "node:child_process";
import type { EventEmitter } from "node:events";
import cluster from "node:cluster";
import type { Readable } from "node:stream";
import { currentEngine } from "./detect.ts";
import { selfLaunchCommand } from "./launch.ts";
import { signalChild } from "./signal-child.ts";

/** A started worker process, whichever way it was started. */
export interface WorkerProcess {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  kill(signal: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export const WORKER_ROLE_ARG = "__worker";

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
 */
export function spawnWorkerProcess(env: Record<string, string>, appEntry?: string): WorkerProcess {
  return currentEngine() === "node" ? forkClusterWorker(env) : spawnChild(env, appEntry);
}

function spawnChild(env: Record<string, string>, appEntry: string | undefined): WorkerProcess {
  const { command, args } = selfLaunchCommand(appEntry);
  const child = spawn(command, [...args, WORKER_ROLE_ARG], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw refused(child, command);
  return {
    pid: child.pid,
    stdout: child.stdout!,
    stderr: child.stderr!,
    kill: (signal) => signalChild(child, signal),
    onExit: (listener) => void child.once("exit", listener),
  };
}

function forkClusterWorker(env: Record<string, string>): WorkerProcess {
  const { args } = selfLaunchCommand();
  // Each worker accepts from the one shared socket (SCHED_NONE) rather than
  // the supervisor accepting and handing connections out (round-robin):
  // measured here, round-robin lost a few connections per ten reloads under a
  // connection storm (a handle sent to a worker as it exits is never answered),
  // while a shared socket keeps its queue when a draining worker lets go.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: args[0], args: [WORKER_ROLE_ARG], execArgv: [], silent: true });
  const worker = cluster.fork(env);
  const child = worker.process;
  if (child.pid === undefined) {
    // The cluster re-emits the child's error on the worker, and keeps the
    // worker in its table until an exit that never comes.
    worker.on("error", () => {});
    delete cluster.workers?.[worker.id];
    throw refused(child, "a cluster worker");
  }
  return {
    pid: child.pid!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    kill: (signal) => void child.kill(signal),
    onExit: (listener) => void child.once("exit", listener),
  };
}
