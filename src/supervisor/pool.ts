import type { ExitReason, WorkerMessage } from "../bus/protocol.ts";
import { LskyError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { nextFailureCount, restartDelay, type RestartPolicy, shouldGiveUp } from "./restart-policy.ts";
import type { ExitRecord, WorkerHandle } from "./worker-handle.ts";

export interface PoolOptions {
  size: number;
  bootTimeout: number;
  /** Time a draining worker gets (drain delay + grace period) before SIGKILL. */
  drainDeadline: number;
  ttl: number;
  /** A ready worker silent for this long is killed as unresponsive (0: never). */
  heartbeatTimeout: number;
  policy: RestartPolicy;
  log: Logger;
  /** Starts a worker process for a slot. */
  launch(slot: number): WorkerHandle;
  /** Told of every worker exit, with its reason (metrics count them). */
  onWorkerExit?(worker: WorkerHandle, record: ExitRecord): void;
  /** The pool cannot go on (workers keep failing to boot). */
  onFatal(error: LskyError): void;
}

export interface Slot {
  id: number;
  worker?: WorkerHandle;
  restarts: number;
  failures: number;
  lastExit?: ExitRecord;
  replacing: boolean;
  restartTimer?: ReturnType<typeof setTimeout>;
}

type PoolState = "starting" | "running" | "stopping" | "stopped";

/**
 * The worker pool: starts N workers, replaces crashed ones with backoff,
 * recycles and reloads them one at a time (the replacement is ready before
 * the old worker drains), and stops them all.
 */
export class WorkerPool {
  readonly slots: Slot[];
  /** Workers that left their slot and are finishing their requests. */
  readonly draining = new Set<WorkerHandle>();
  private readonly byPid = new Map<number, WorkerHandle>();
  private state: PoolState = "starting";
  private reloading: Promise<void> = Promise.resolve();
  private watchdog?: ReturnType<typeof setInterval>;

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: options.size }, (_, i) => ({
      id: i + 1, restarts: 0, failures: 0, replacing: false,
    }));
  }

  /** Starts every worker; rejects with the first boot failure (after stopping the rest). */
  async start(): Promise<void> {
    const workers = this.slots.map((slot) => this.startWorker(slot));
    try {
      await Promise.all(workers.map((w) => w.ready));
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.state = "running";
    if (this.options.heartbeatTimeout > 0) this.startWatchdog();
  }

  /**
   * Replaces every worker, one at a time; a new worker that fails to boot
   * aborts the reload. Resolves once the old workers have exited, so that
   * afterwards only new code answers.
   *
   * `quick` (--watch, development): every slot is replaced at once and an old
   * worker closes its listener as soon as its replacement is ready, skipping
   * the drain delay and quiet wait that protect production traffic.
   */
  reload({ quick = false }: { quick?: boolean } = {}): Promise<void> {
    const run = async () => {
      const retired: Promise<unknown>[] = [];
      const replaceSlot = async (slot: Slot) => {
        if (this.state !== "running") return;
        const old = slot.worker;
        await this.replace(slot, "reload", quick);
        if (old) retired.push(old.exited);
      };
      if (quick) await Promise.all(this.slots.map(replaceSlot));
      else for (const slot of this.slots) await replaceSlot(slot);
      await Promise.all(retired);
    };
    this.reloading = this.reloading.then(run, run);
    return this.reloading;
  }

  /** Drains every worker and resolves when all have exited. */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopping";
    if (this.watchdog) clearInterval(this.watchdog);
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    const all = [...this.slots.map((s) => s.worker), ...this.draining].filter((w): w is WorkerHandle => !!w);
    await Promise.all(all.map((w) => this.drain(w, "stop")));
    this.state = "stopped";
  }

  /** Every live worker: starting, ready and draining. */
  workers(): WorkerHandle[] {
    return [...this.byPid.values()];
  }

  readyCount(): number {
    return this.slots.filter((s) => s.worker?.state === "ready").length;
  }

  findByPid(pid: number): WorkerHandle | undefined {
    return this.byPid.get(pid);
  }

  onMessage(worker: WorkerHandle, message: WorkerMessage): void {
    worker.lastSeen = Date.now();
    switch (message.type) {
      case "ready":
        return worker.markReady();
      case "boot-failed":
        worker.bootFailure = { message: message.message, detail: message.detail, exitCode: message.exitCode };
        return;
      case "stats":
        worker.stats = { requests: message.requests, inflight: message.inflight, rss: message.rss, websockets: message.websockets };
        if (message.metrics) worker.metrics = message.metrics;
        return;
      case "recycle":
        return this.recycle(worker, message.reason);
    }
  }

  /** Launches a worker for a slot with its boot deadline, exit handling and TTL. */
  private launchInto(slot: Slot): WorkerHandle {
    const worker = this.options.launch(slot.id);
    this.byPid.set(worker.pid, worker);
    worker.after(this.options.bootTimeout, () => {
      if (worker.state !== "starting") return;
      worker.bootFailure = {
        message: `Cannot start worker ${slot.id}: it was not ready within ${this.options.bootTimeout} ms`,
        detail: "Raise --boot-timeout if the app needs longer to load",
        exitCode: 1,
      };
      worker.kill("SIGKILL");
    });
    worker.process.onExit((code, signal) => {
      void worker.messagesRead().then(() => this.onExit(slot, worker, code, signal));
    });
    worker.ready.then(() => {
      if (this.options.ttl > 0) worker.after(this.options.ttl, () => this.recycle(worker, "ttl"));
    }, () => {});
    return worker;
  }

  private startWorker(slot: Slot): WorkerHandle {
    const worker = this.launchInto(slot);
    slot.worker = worker;
    return worker;
  }

  private onExit(slot: Slot, worker: WorkerHandle, code: number | null, signal: string | null): void {
    const wasReady = worker.readyAt > 0;
    const reason: ExitReason = worker.requestedExit ?? (wasReady ? "crashed" : "boot-failed");
    const record = worker.markExited(code, signal, reason);
    this.options.onWorkerExit?.(worker, record);
    this.draining.delete(worker);
    this.byPid.delete(worker.pid);
    slot.lastExit = record;
    const unexpected = !worker.requestedExit || worker.requestedExit === "unresponsive";
    if (slot.worker !== worker || !unexpected || this.state !== "running") return;
    slot.worker = undefined;
    // A replacement already on its way takes the slot; otherwise start one.
    if (!slot.replacing) this.scheduleRestart(slot, worker, record);
  }

  private scheduleRestart(slot: Slot, worker: WorkerHandle, record: ExitRecord): void {
    const { policy, log } = this.options;
    slot.restarts++;
    slot.failures = nextFailureCount(policy, slot.failures, worker.readyAt ? Date.now() - worker.readyAt : 0);
    if (shouldGiveUp(policy, slot.failures)) return this.options.onFatal(this.giveUpError(slot, worker, record));
    const delay = restartDelay(policy, slot.failures);
    log.warn(`worker ${slot.id} (pid ${worker.pid}) ${record.reason} with ${describeExit(record)}; restarting in ${delay} ms`);
    slot.restartTimer = setTimeout(() => {
      if (this.state === "running" && !slot.worker) this.startWorker(slot);
    }, delay);
  }

  /** The one error printed when a slot keeps failing: the app's own boot error when there is one. */
  private giveUpError(slot: Slot, worker: WorkerHandle, record: ExitRecord): LskyError {
    const times = `${slot.failures} times in a row`;
    if (record.reason === "boot-failed") {
      const error = worker.bootError(record.code, record.signal);
      error.message = `${error.message} (worker ${slot.id} failed to start ${times}; giving up)`;
      return error;
    }
    const stable = Math.round(this.options.policy.stablePeriod / 1000);
    return new LskyError(
      "WORKER_CRASH_LOOP",
      `Worker ${slot.id} ${record.reason} with ${describeExit(record)} ${times}, each within ${stable} s of starting; giving up`,
      { hint: "The worker's own output above shows why it exited" },
    );
  }

  /** Starts the replacement, waits until it is ready, then drains the old worker. */
  private async replace(slot: Slot, reason: ExitReason, quick = false): Promise<void> {
    if (slot.replacing) return;
    slot.replacing = true;
    const old = slot.worker;
    try {
      const next = this.launchInto(slot);
      await next.ready;
      if (this.state !== "running") return void this.drain(next, "stop");
      slot.worker = next;
      if (old && old.state !== "exited") void this.drain(old, reason, quick);
    } catch (error) {
      // The old worker keeps serving; if it died meanwhile, start a fresh one.
      if (this.state === "running" && (!slot.worker || slot.worker.state === "exited")) {
        this.startWorker(slot);
      }
      throw error;
    } finally {
      slot.replacing = false;
    }
  }

  private recycle(worker: WorkerHandle, reason: "max-requests" | "max-memory" | "ttl"): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot || this.state !== "running") return;
    this.options.log.info(`worker ${slot.id} (pid ${worker.pid}) is being recycled: ${reason}`);
    this.replace(slot, reason).catch((error: Error) => {
      this.options.log.error(`cannot recycle worker ${slot.id}: ${error.message}`);
    });
  }

  /** Asks a worker to drain and resolves when it has exited (killed at the deadline). */
  private drain(worker: WorkerHandle, reason: ExitReason, quick = false): Promise<ExitRecord> {
    if (worker.state === "exited") return worker.exited;
    if (!worker.requestedExit) worker.requestedExit = reason;
    if (!this.slots.some((s) => s.worker === worker)) this.draining.add(worker);
    if (worker.state === "starting") worker.kill("SIGTERM");
    worker.state = "draining";
    worker.send(quick ? { type: "drain", handover: false, quick: true } : { type: "drain", handover: reason !== "stop" });
    worker.after(this.options.drainDeadline, () => worker.kill("SIGKILL"));
    return worker.exited;
  }

  private startWatchdog(): void {
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const slot of this.slots) {
        const worker = slot.worker;
        if (worker?.state !== "ready" || now - worker.lastSeen < this.options.heartbeatTimeout) continue;
        this.options.log.warn(`worker ${slot.id} (pid ${worker.pid}) sent no heartbeat for ${now - worker.lastSeen} ms; killing it`);
        worker.requestedExit = "unresponsive";
        worker.kill("SIGKILL");
      }
    }, 500);
    this.watchdog.unref?.();
  }
}

function describeExit(record: ExitRecord): string {
  return record.signal ? `signal ${record.signal}` : `code ${record.code}`;
}
