import type { ExitReason, RecycleReason, WorkerMessage } from "../bus/protocol.ts";
import { validFamilies } from "../metrics/app-metrics.ts";
import { LskyError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { monotonicNow, RunningClock } from "../clock.ts";
import { nextFailureCount, restartDelay, type RestartPolicy, shouldGiveUp } from "./restart-policy.ts";
import { describeSpawnFailure } from "./spawn-failure.ts";
import { startWatchdog } from "./watchdog.ts";
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
  /** The clock heartbeats and deadlines are judged by (tests pass their own). */
  clock?: RunningClock;
}

export interface Slot {
  id: number;
  worker?: WorkerHandle;
  restarts: number;
  failures: number;
  lastExit?: ExitRecord;
  replacing: boolean;
  restartTimer?: ReturnType<typeof setTimeout>;
  /** Consecutive attempts to start a process that the host refused (not the app's fault). */
  spawnFailures: number;
}

type PoolState = "starting" | "running" | "stopping" | "stopped";

// A supervisor gap this long is logged (shorter ones are only counted in /metrics).
const STALL_LOG_MS = 1000;

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
  private stopping?: Promise<void>;
  private stopWatchdog = () => {};
  /** Stands still while the supervisor is paused or starved: heartbeats and deadlines are judged by it. */
  readonly clock: RunningClock;
  /** Workers killed for silence, and starts the host refused (for /metrics). */
  readonly counters = { unresponsiveKills: 0, busySpared: 0, spawnFailures: 0 };
  /** Set while starts keep failing for a host reason, so it is said once. */
  private spawnTrouble = false;

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: options.size }, (_, i) => ({
      id: i + 1, restarts: 0, failures: 0, replacing: false, spawnFailures: 0,
    }));
    this.clock = options.clock ?? new RunningClock(monotonicNow, undefined, (gap) => this.onStall(gap)).start();
  }

  /**
   * Starts every worker; rejects with the first boot failure (after stopping
   * the rest). A stop() while they boot (a signal during start-up) makes it
   * reject too, with the stopped workers' exit, once they are gone.
   */
  async start(): Promise<void> {
    if (this.stopping) return;
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

  private async stopAll(): Promise<void> {
    this.state = "stopping";
    this.stopWatchdog();
    this.clock.stop();
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
    worker.heard(this.clock.now());
    switch (message.type) {
      case "ready":
        if (message.appMetrics) worker.hasAppMetrics = true;
        return worker.markReady();
      case "boot-failed":
        worker.bootFailure = { message: message.message, detail: message.detail, exitCode: message.exitCode };
        return;
      case "stats":
        worker.stats = { requests: message.requests, inflight: message.inflight, rss: message.rss, websockets: message.websockets, heapSlope: message.heapSlope };
        if (typeof message.lag === "number") {
          worker.reportedLag = message.lag;
          worker.recentLag.record(message.lag);
        }
        if (message.metrics) worker.metrics = message.metrics;
        if (message.appMetrics) worker.receivedAppMetrics(validFamilies(message.appMetrics));
        return;
      case "recycle":
        return this.recycle(worker, message.reason);
    }
  }

  /** Launches a worker for a slot with its boot deadline, exit handling and TTL. */
  private launchInto(slot: Slot): WorkerHandle {
    const worker = this.options.launch(slot.id);
    worker.lastSeen = this.clock.now();
    this.byPid.set(worker.pid, worker);
    this.afterRunning(worker, this.options.bootTimeout, () => {
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
    slot.failures = nextFailureCount(policy, slot.failures, worker.readyAt ? monotonicNow() - worker.readyAt : 0);
    if (shouldGiveUp(policy, slot.failures)) return this.options.onFatal(this.giveUpError(slot, worker, record));
    const delay = restartDelay(policy, slot.failures);
    log.warn(`worker ${slot.id} (pid ${worker.pid}) ${record.reason} with ${describeExit(record)}; restarting in ${delay} ms`);
    this.restartAfter(slot, delay);
  }

  /**
   * Starts a worker for an empty slot after `delay`. A start the host refuses
   * (no descriptors or processes left) throws here, inside a timer: it is
   * retried with backoff, said once, and never counts towards giving up on
   * the app, whose code never ran.
   */
  private restartAfter(slot: Slot, delay: number): void {
    slot.restartTimer = setTimeout(() => {
      if (this.state !== "running" || slot.worker) return;
      try {
        this.startWorker(slot);
      } catch (error) {
        return void this.onSpawnFailure(slot, error);
      }
      if (slot.spawnFailures > 0) {
        this.options.log.info(`worker ${slot.id} started after ${slot.spawnFailures} refused attempt${slot.spawnFailures === 1 ? "" : "s"}`);
      }
      slot.spawnFailures = 0;
      this.spawnTrouble = this.slots.some((s) => s.spawnFailures > 0);
    }, delay);
  }

  private async onSpawnFailure(slot: Slot, error: unknown): Promise<void> {
    slot.spawnFailures++;
    this.counters.spawnFailures++;
    const delay = restartDelay(this.options.policy, slot.spawnFailures);
    this.restartAfter(slot, delay);
    if (this.spawnTrouble) return;
    this.spawnTrouble = true;
    const reason = await describeSpawnFailure(error);
    this.options.log.error(`cannot start worker ${slot.id}: ${reason}; retrying with backoff (up to ${this.options.policy.maxDelay} ms apart) until it works`);
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
        slot.worker = undefined;
        this.restartAfter(slot, 0);
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

  /** Asks a worker to drain and resolves when it has exited (killed at the deadline). */
  private drain(worker: WorkerHandle, reason: ExitReason, quick = false): Promise<ExitRecord> {
    if (worker.state === "exited") return worker.exited;
    if (!worker.requestedExit) worker.requestedExit = reason;
    if (!this.slots.some((s) => s.worker === worker)) this.draining.add(worker);
    if (worker.state === "starting") worker.kill("SIGTERM");
    worker.state = "draining";
    worker.send(quick ? { type: "drain", handover: false, quick: true } : { type: "drain", handover: reason !== "stop" });
    this.afterRunning(worker, this.options.drainDeadline, () => worker.kill("SIGKILL"));
    return worker.exited;
  }

  /**
   * Runs `action` once the supervisor has been running for `ms` (clock.ts):
   * a deadline that passed while the supervisor itself was stopped is
   * extended by that time, since the worker could not be heard meanwhile.
   */
  private afterRunning(worker: WorkerHandle, ms: number, action: () => void): void {
    const due = this.clock.now() + ms;
    const check = () => {
      const left = due - this.clock.now();
      if (left > 0) worker.after(left, check);
      else action();
    };
    worker.after(ms, check);
  }

  private startWatchdog(): void {
    this.stopWatchdog = startWatchdog({
      timeout: this.options.heartbeatTimeout,
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

function describeExit(record: ExitRecord): string {
  return record.signal ? `signal ${record.signal}` : `code ${record.code}`;
}
