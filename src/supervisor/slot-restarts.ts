import { LskyError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { monotonicNow } from "../clock.ts";
import { nextFailureCount, restartDelay, type RestartPolicy, shouldGiveUp } from "./restart-policy.ts";
import { describeSpawnFailure } from "./spawn-failure.ts";
import type { ExitRecord, WorkerHandle } from "./worker-handle.ts";

/** One place in the pool: the worker serving it now and what its past workers did. */
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
  /** The restart policy gave up on it: it stays empty. */
  givenUp?: boolean;
}

export function createSlots(size: number): Slot[] {
  return Array.from({ length: size }, (_, i) => ({ id: i + 1, restarts: 0, failures: 0, replacing: false, spawnFailures: 0 }));
}

export interface RestartOptions {
  policy: RestartPolicy;
  log: Logger;
  counters: { spawnFailures: number };
  /** False once the pool stops: a pending restart is then dropped. */
  running(): boolean;
  /** Starts a worker in the slot; throws when the host refuses. */
  start(slot: Slot): void;
  /** The app keeps failing: the pool gives up. */
  onFatal(error: LskyError): void;
}

/**
 * Restarts after failures, with backoff, and the give-up rule: a slot whose
 * workers keep failing soon after they start ends the pool with the app's own
 * error. A start the host refuses is retried apart from that count.
 */
export class SlotRestarts {
  /** Set while starts keep failing for a host reason, so it is said once. */
  private spawnTrouble = false;

  constructor(private readonly slots: readonly Slot[], private readonly options: RestartOptions) {}

  /** A slot's worker failed (crash, boot failure, unresponsive): restart it later, or give up. */
  afterFailure(slot: Slot, worker: WorkerHandle, record: ExitRecord): void {
    const { policy, log } = this.options;
    slot.restarts++;
    slot.failures = nextFailureCount(policy, slot.failures, worker.readyAt ? monotonicNow() - worker.readyAt : 0);
    if (shouldGiveUp(policy, slot.failures)) {
      slot.givenUp = true;
      return this.options.onFatal(this.giveUpError(slot, worker, record));
    }
    const delay = restartDelay(policy, slot.failures);
    log.warn(`worker ${slot.id} (pid ${worker.pid}) ${record.reason} with ${describeExit(record)}; restarting in ${delay} ms`);
    this.startAfter(slot, delay);
  }

  /**
   * Starts a worker for an empty slot after `delay`. A start the host refuses
   * (no descriptors or processes left) throws here, inside a timer: it is
   * retried with backoff, said once, and never counts towards giving up on
   * the app, whose code never ran.
   */
  startAfter(slot: Slot, delay: number): void {
    slot.restartTimer = setTimeout(() => {
      if (!this.options.running() || slot.worker) return;
      try {
        this.options.start(slot);
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

  cancelAll(): void {
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
  }

  private async onSpawnFailure(slot: Slot, error: unknown): Promise<void> {
    slot.spawnFailures++;
    this.options.counters.spawnFailures++;
    this.startAfter(slot, restartDelay(this.options.policy, slot.spawnFailures));
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
}

function describeExit(record: ExitRecord): string {
  return record.signal ? `signal ${record.signal}` : `code ${record.code}`;
}
