import type { RecycleReason, WorkerMessage } from "../bus/protocol.ts";
import type { LskyError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { afterRunning, monotonicNow, RunningClock } from "../clock.ts";
import { isPlanned, type PlannedCause } from "./lifecycle.ts";
import { createSlots, type Slot, SlotRestarts } from "./slot-restarts.ts";
import { startWatchdog } from "./watchdog.ts";
import type { ExitRecord, WorkerHandle } from "./worker-handle.ts";
import type { WorkerKind } from "./worker-kind.ts";

export type { Slot } from "./slot-restarts.ts";

export interface PoolOptions {
  size: number;
  /** What the pool's processes are and how they start, get ready and drain. */
  kind: WorkerKind;
  log: Logger;
  /** Told of every worker exit, with its reason (metrics count them). */
  onWorkerExit?(worker: WorkerHandle, record: ExitRecord): void;
  /** The pool cannot go on (workers keep failing to boot). */
  onFatal(error: LskyError): void;
  /** The clock heartbeats and deadlines are judged by (tests pass their own). */
  clock?: RunningClock;
  /**
   * Custom processes: a failure while starting is restarted (and given up
   * on) like any later one, instead of failing the start and the server.
   */
  keepGoing?: boolean;
}

type PoolState = "starting" | "running" | "stopping" | "stopped";

// A supervisor gap this long is logged (shorter ones are only counted in /metrics).
const STALL_LOG_MS = 1000;

/**
 * The worker pool: starts N workers of one kind, replaces failed ones with
 * backoff, recycles and reloads them one at a time (for a kind sharing its
 * port, the replacement is ready before the old worker drains), and stops
 * them all. Every change of a worker's state goes through its lifecycle
 * (lifecycle.ts).
 */
export class WorkerPool {
  readonly slots: Slot[];
  /** Workers that left their slot and are finishing their requests. */
  readonly draining = new Set<WorkerHandle>();
  private readonly byPid = new Map<number, WorkerHandle>();
  private state: PoolState = "starting";
  private reloading: Promise<void> = Promise.resolve();
  private stopping?: Promise<void>;
  private stopWatchdog = () => {};
  private readonly kind: WorkerKind;
  private readonly restarts: SlotRestarts;
  /** Stands still while the supervisor is paused or starved: heartbeats and deadlines are judged by it. */
  readonly clock: RunningClock;
  /** Workers killed for silence, and starts the host refused (for /metrics). */
  readonly counters = { unresponsiveKills: 0, busySpared: 0, spawnFailures: 0 };

  constructor(private readonly options: PoolOptions) {
    this.kind = options.kind;
    this.slots = createSlots(options.size);
    this.clock = options.clock ?? new RunningClock(monotonicNow, undefined, (gap) => this.onStall(gap)).start();
    this.restarts = new SlotRestarts(this.slots, {
      policy: this.kind.policy,
      log: options.log,
      counters: this.counters,
      running: () => this.state === "running",
      start: (slot) => this.startWorker(slot),
      onFatal: (error) => options.onFatal(error),
    });
  }

  /**
   * Starts every worker; rejects with the first boot failure (after stopping
   * the rest). A stop() while they boot (a signal during start-up) makes it
   * reject too, with the stopped workers' exit, once they are gone.
   */
  async start(): Promise<void> {
    if (this.stopping) return;
    if (this.options.keepGoing) return this.startKeepingGoing();
    try {
      // Inside the try: a start the host refuses must stop the workers already started.
      const workers = this.slots.map((slot) => this.startWorker(slot));
      await Promise.all(workers.map((w) => w.ready));
    } catch (error) {
      await this.stop();
      throw error;
    }
    if (this.state !== "starting") return; // stopped as the last worker became ready
    this.state = "running";
    if (this.kind.heartbeatTimeout > 0) this.startWatchdog();
  }

  /** Starts every worker; one that fails or is refused is restarted by the restart policy, never rejected. */
  private async startKeepingGoing(): Promise<void> {
    this.state = "running";
    for (const slot of this.slots) {
      try {
        this.startWorker(slot);
      } catch {
        // The host refused: counted, and retried with the restart policy's backoff (said there if it fails again).
        slot.spawnFailures++;
        this.counters.spawnFailures++;
        this.restarts.startAfter(slot, this.kind.policy.initialDelay);
      }
    }
    await Promise.allSettled(this.slots.map((slot) => slot.worker?.ready));
  }

  /**
   * Replaces every worker, one at a time; a new worker that fails to boot
   * aborts the reload (the old workers keep serving) and rejects with its
   * reason. Resolves once the old workers have exited, so that afterwards
   * only new code answers.
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

  /**
   * Replaces one slot's worker on request (the dashboard's "stop worker"):
   * the replacement is ready before the old worker drains. False when the
   * slot has no worker to replace or the pool is not running.
   */
  async replaceWorker(slotId: number): Promise<boolean> {
    const slot = this.slots.find((s) => s.id === slotId);
    if (!slot?.worker || this.state !== "running") return false;
    await this.replace(slot, "replaced");
    return true;
  }

  /** Drains every worker and resolves when all have exited. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  /**
   * Every live worker is drained: those in slots, those already draining, and
   * a replacement still booting for a reload or recycle (in no slot yet).
   */
  private async stopAll(): Promise<void> {
    this.state = "stopping";
    this.stopWatchdog();
    this.clock.stop();
    this.restarts.cancelAll();
    await Promise.all(this.workers().map((w) => this.drain(w, "stop")));
    this.state = "stopped";
  }

  /** Every live worker: starting, ready, draining and being killed. */
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
    worker.heard(this.clock.now());
    switch (message.type) {
      case "ready":
        if (message.appMetrics) worker.hasAppMetrics = true;
        return worker.markReady();
      case "boot-failed":
        worker.bootFailure = { message: message.message, detail: message.detail, exitCode: message.exitCode };
        return;
      case "stats":
        return worker.recordStats(message);
      case "recycle":
        return this.recycle(worker, message.reason);
    }
  }

  /** Launches a worker for a slot with its boot deadline, exit handling and TTL. */
  private launchInto(slot: Slot): WorkerHandle {
    const worker = this.kind.launch(slot.id);
    worker.lastSeen = this.clock.now();
    this.byPid.set(worker.pid, worker);
    afterRunning(this.clock, worker, this.kind.bootTimeout, () => this.onBootTimeout(slot, worker));
    worker.process.onExit((code, signal) => {
      void worker.messagesRead(code, signal).then(() => this.onExit(slot, worker, code, signal));
    });
    worker.ready.then(() => {
      if (this.kind.ttl > 0) worker.after(this.kind.ttl, () => this.recycle(worker, "ttl"));
    }, () => {});
    if (this.kind.readiness === "started") worker.markReady();
    return worker;
  }

  private onBootTimeout(slot: Slot, worker: WorkerHandle): void {
    if (worker.state !== "starting") return;
    worker.bootFailure = {
      message: `Cannot start worker ${slot.id}: it was not ready within ${this.kind.bootTimeout} ms`,
      detail: "Raise --boot-timeout if the app needs longer to load",
      exitCode: 1,
    };
    worker.killFor("boot-failed");
  }

  private startWorker(slot: Slot): WorkerHandle {
    const worker = this.launchInto(slot);
    slot.worker = worker;
    return worker;
  }

  /** A planned exit was asked for and is handled where it was asked; a failure of a slot's worker is restarted. */
  private onExit(slot: Slot, worker: WorkerHandle, code: number | null, signal: string | null): void {
    const record = worker.markExited(code, signal);
    this.options.onWorkerExit?.(worker, record);
    this.draining.delete(worker);
    this.byPid.delete(worker.pid);
    slot.lastExit = record;
    if (slot.worker !== worker || isPlanned(record.reason) || this.state !== "running") return;
    slot.worker = undefined;
    // A replacement already on its way takes the slot; otherwise start one.
    if (!slot.replacing) this.restarts.afterFailure(slot, worker, record);
  }

  /**
   * Replaces a slot's worker. A kind sharing its port starts the replacement
   * and drains the old worker once the new one is ready; any other kind
   * drains the old one first. A replacement that fails to boot rejects; the
   * old worker, if it still runs, keeps serving.
   */
  private async replace(slot: Slot, cause: PlannedCause, quick = false): Promise<void> {
    if (slot.replacing) return;
    slot.replacing = true;
    const old = slot.worker;
    // A reload gives a slot the restart policy gave up on a fresh start, with its full count of restarts.
    if (slot.givenUp) [slot.givenUp, slot.failures] = [false, 0];
    try {
      if (old && !this.kind.sharesPort) await this.drain(old, cause, quick);
      const next = this.launchInto(slot);
      await next.ready;
      if (this.state !== "running") return void this.drain(next, "stop");
      slot.worker = next;
      if (old) void this.drain(old, cause, quick);
    } catch (error) {
      // A replacement stopped with the pool never booted: the stop explains it.
      if (this.state !== "running") return;
      // The old worker keeps serving; if it died meanwhile, start a fresh one.
      if (!slot.worker || slot.worker.state === "exited") {
        slot.worker = undefined;
        this.restarts.startAfter(slot, 0);
      }
      throw error;
    } finally {
      slot.replacing = false;
    }
  }

  private recycle(worker: WorkerHandle, reason: RecycleReason | "ttl"): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot || this.state !== "running") return;
    if (reason === "listener-dead") {
      this.options.log.warn(`worker ${slot.id} (pid ${worker.pid}) stopped accepting connections (listener-dead): replacing it`);
    } else {
      this.options.log.info(`worker ${slot.id} (pid ${worker.pid}) is being recycled: ${reason}`);
    }
    this.replace(slot, reason).catch((error: Error) => {
      this.options.log.error(`cannot recycle worker ${slot.id}: ${error.message}`);
    });
  }

  /**
   * Asks a worker to drain and resolves when it has exited (killed at the
   * deadline). A worker already draining, being killed or gone keeps its
   * first cause: it is only waited for.
   */
  private drain(worker: WorkerHandle, cause: PlannedCause, quick = false): Promise<ExitRecord> {
    if (!worker.lifecycle.can("draining", cause)) return worker.exited;
    const from = worker.state;
    worker.lifecycle.transition("draining", cause);
    if (!this.slots.some((s) => s.worker === worker)) this.draining.add(worker);
    this.kind.drain(worker, { cause, quick, from });
    afterRunning(this.clock, worker, this.kind.drainDeadline, () => worker.kill("SIGKILL"));
    return worker.exited;
  }

  private startWatchdog(): void {
    this.stopWatchdog = startWatchdog({
      timeout: this.kind.heartbeatTimeout,
      clock: this.clock,
      log: this.options.log,
      workers: () => this.slots.flatMap((s) => (s.worker?.state === "ready" ? [s.worker] : [])),
      counters: this.counters,
    });
  }

  /** The supervisor was stopped or starved: say so, since it explains a late everything. */
  private onStall(gapMs: number): void {
    if (this.state !== "running" || gapMs < STALL_LOG_MS) return;
    this.options.log.warn(`the supervisor did not run for ${Math.round(gapMs)} ms (stopped or starved of CPU); that time is not counted against the workers' heartbeats`);
  }
}
