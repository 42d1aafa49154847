import type { WorkerMessage } from "../bus/protocol.ts";
import type { WorkerPool } from "./pool.ts";
import type { WorkerHandle } from "./worker-handle.ts";

/** What a reload does to a side pool's processes: replace them, send them a signal, or nothing. */
export type ReloadMode = "replace" | "none" | { signal: NodeJS.Signals };

interface SidePool {
  /** Names the pool in status and logs ("task", "process:mailer"). */
  name: string;
  pool: WorkerPool;
  reload: ReloadMode;
}

/**
 * The pools beside the HTTP pool: task workers, custom processes and any
 * other kind (docs/ARCHITECTURE.md). They start with the HTTP pool, are
 * reloaded after it, and stop after it: an HTTP worker still draining may
 * hand work to a side pool (a task, a table write), so those outlive it.
 */
export class SidePools {
  private readonly entries: SidePool[] = [];

  add(name: string, pool: WorkerPool, reload: ReloadMode = "replace"): void {
    this.entries.push({ name, pool, reload });
  }

  list(): readonly SidePool[] {
    return this.entries;
  }

  find(name: string): WorkerPool | undefined {
    return this.entries.find((entry) => entry.name === name)?.pool;
  }

  findByPid(pid: number): WorkerHandle | undefined {
    for (const { pool } of this.entries) {
      const worker = pool.findByPid(pid);
      if (worker) return worker;
    }
    return undefined;
  }

  /** Hands a bus message to the pool that owns the worker; false when none does. */
  onMessage(worker: WorkerHandle, message: WorkerMessage): boolean {
    const owner = this.entries.find(({ pool }) => pool.findByPid(worker.pid) === worker);
    owner?.pool.onMessage(worker, message);
    return owner !== undefined;
  }

  async start(): Promise<void> {
    await Promise.all(this.entries.map(({ pool }) => pool.start()));
  }

  async reload(quick: boolean): Promise<void> {
    for (const { pool, reload } of this.entries) {
      if (typeof reload === "object") for (const worker of pool.workers()) if (worker.state === "ready") worker.kill(reload.signal);
    }
    await Promise.all(this.entries.filter((e) => e.reload === "replace").map(({ pool }) => pool.reload({ quick })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.entries.map(({ pool }) => pool.stop()));
  }

  workers(): WorkerHandle[] {
    return this.entries.flatMap(({ pool }) => pool.workers());
  }
}
