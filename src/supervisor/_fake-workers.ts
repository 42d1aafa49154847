import { PassThrough } from "node:stream";
import type { SupervisorMessage } from "../bus/protocol.ts";
import type { MessageChannel } from "../bus/ndjson.ts";
import type { Logger } from "../log.ts";
import type { WorkerProcess } from "../runtime/spawn-worker.ts";
import { RunningClock } from "../clock.ts";
import { WorkerPool, type PoolOptions } from "./pool.ts";
import { WorkerHandle } from "./worker-handle.ts";
import type { DrainRequest, WorkerKind } from "./worker-kind.ts";

/**
 * Fake workers for the pool's unit tests: no process, no socket. A fake
 * exits when it is killed or told to drain (unless told to ignore it), and
 * the test says when it is ready or crashes.
 */
export class FakeWorker {
  readonly handle: WorkerHandle;
  readonly inbox: SupervisorMessage[] = [];
  readonly signals: string[] = [];
  readonly drains: DrainRequest[] = [];
  /** A drain request or SIGTERM is then ignored (only SIGKILL ends it). */
  stubborn = false;
  private listeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
  private gone = false;

  constructor(slot: number, pid: number) {
    const process: WorkerProcess = {
      pid,
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      kill: (signal) => this.onSignal(signal),
      onExit: (listener) => void this.listeners.push(listener),
    };
    this.handle = new WorkerHandle(slot, process);
    this.handle.channel = { send: (m: SupervisorMessage) => (this.inbox.push(m), true) } as unknown as MessageChannel<SupervisorMessage>;
  }

  get pid(): number {
    return this.handle.pid;
  }

  /** The process ends (a crash when code is non-zero or a signal is given). */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.gone) return;
    this.gone = true;
    this.handle.markChannelClosed();
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(code, signal);
    });
  }

  onDrain(request: DrainRequest): void {
    this.drains.push(request);
    if (!this.stubborn) this.exit(0);
  }

  private onSignal(signal: NodeJS.Signals): void {
    this.signals.push(signal);
    if (signal === "SIGKILL") this.exit(null, "SIGKILL");
    else if (!this.stubborn) this.exit(0);
  }
}

export interface FakePool {
  pool: WorkerPool;
  /** Every worker launched, in order. */
  launched: FakeWorker[];
  fatal: Error[];
  logs: string[];
  /** What the next launch does: throw (the host refuses) instead of returning a worker. */
  refuseNext: number;
  /** Makes every worker launched from now on crash before it is ready. */
  brokenRelease: boolean;
  /** Says `ready` for a worker, as its process would over the bus. */
  ready(worker: FakeWorker): void;
  /** Says `ready` for every starting worker, as they come, until the returned stop is called. */
  autoReady(): () => void;
  /** The fake for a slot's current worker. */
  current(slot: number): FakeWorker;
  fake(handle: WorkerHandle | undefined): FakeWorker;
}

// long: a test double; its launch hook and its controls share one pid counter and one list of launched workers
export function fakePool(size: number, kind: Partial<WorkerKind> = {}, options: Partial<PoolOptions> = {}): FakePool {
  let nextPid = 1000;
  const launched: FakeWorker[] = [];
  const byHandle = new Map<WorkerHandle, FakeWorker>();
  const logs: string[] = [];
  const log: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  let autoReady = false;
  const state: FakePool = {
    launched, fatal: [], logs, refuseNext: 0, brokenRelease: false,
    ready: (worker) => state.pool.onMessage(worker.handle, { type: "ready", port: 0 }),
    autoReady: () => {
      autoReady = true;
      for (const w of launched) if (w.handle.state === "starting") state.ready(w);
      return () => (autoReady = false);
    },
    current: (slot) => state.fake(state.pool.slots[slot - 1]!.worker),
    fake: (handle) => byHandle.get(handle!)!,
    pool: undefined as unknown as WorkerPool,
  };
  const launch = (slot: number): WorkerHandle => {
    if (state.refuseNext > 0) {
      state.refuseNext--;
      throw new Error("spawn EAGAIN");
    }
    const worker = new FakeWorker(slot, nextPid++);
    launched.push(worker);
    byHandle.set(worker.handle, worker);
    if (state.brokenRelease) queueMicrotask(() => worker.exit(1));
    else if (autoReady) queueMicrotask(() => state.ready(worker));
    return worker.handle;
  };
  state.pool = new WorkerPool({
    size,
    log,
    onFatal: (error) => void state.fatal.push(error),
    clock: new RunningClock(),
    ...options,
    kind: {
      name: "fake", launch, readiness: "announced", bootTimeout: 60_000, sharesPort: true,
      policy: { initialDelay: 1, maxDelay: 4, stablePeriod: 60_000, maxFailures: 3 },
      ttl: 0, heartbeatTimeout: 0, drainDeadline: 60_000,
      drain: (handle, request) => byHandle.get(handle)!.onDrain(request),
      ...kind,
    },
  });
  return state;
}

/** Resolves once `condition` holds, looking every millisecond (a bound only to fail, never to pass). */
export async function until(condition: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}
