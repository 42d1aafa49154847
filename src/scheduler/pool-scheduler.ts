import type { SupervisorMessage, WorkerMessage } from "../bus/protocol.ts";
import type { Logger } from "../log.ts";
import { monotonicNow } from "../clock.ts";
import type { JobSpec } from "./job-spec.ts";
import { JobState, type JobStatus, type Run } from "./job-state.ts";
import { firstDue, type Moment, planTick, sleepFor, tickWall } from "./planner.ts";
import { sameTiming } from "./spec.ts";
import type { HeldLock, ScheduleLocks } from "../cluster/schedule-lock.ts";
import { claimTick } from "./cluster-claim.ts";

/** A worker as the scheduler sees it; `WorkerHandle` is one. */
export interface ScheduleWorker {
  readonly slot: number;
  readonly pid: number;
  readonly state: "starting" | "ready" | "draining" | "killing" | "exited";
  readonly exited: Promise<unknown>;
  send(message: SupervisorMessage): boolean;
}

export interface PoolSchedulerOptions {
  log: Logger;
  /** Both clocks, read together (tests pass fake ones). */
  now?: () => Moment;
  /** Runs `wake` after `ms`; returns a cancel function (tests pass a fake). */
  setTimer?: (ms: number, wake: () => void) => () => void;
}

/** A run as the supervisor tracks it: the worker process it went to, and its timeout. */
type InFlight = Run & { handle: ScheduleWorker; cancelTimeout?: () => void; lock?: HeldLock };

const realTimer = (ms: number, wake: () => void) => {
  const timer = setTimeout(wake, ms);
  // The supervisor stays up for its own reasons; a pending tick must not hold it.
  (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
};

/** The longest error text kept for status. */
const MAX_ERROR_CHARS = 500;

/**
 * The supervisor's scheduler: it owns the clock and hands each tick of each
 * job to ONE ready worker, so a job runs once per tick in the whole pool
 * (never once per worker, node-cron's most reported trouble). The schedule
 * comes from the workers: each reports its jobs before "ready", and the
 * newest ready worker's list is the schedule (a reload may change it).
 *
 * The no-overlap lock is the set of runs in flight, tied to the worker
 * process: a run ends with the worker's answer or with the worker's exit,
 * so a crash can never leave a job locked.
 */
export class PoolScheduler {
  private readonly jobs = new Map<string, JobState>();
  /** Jobs a worker reported before it was ready. */
  private readonly reported = new Map<ScheduleWorker, JobSpec[]>();
  /** The job names each ready worker can run. */
  private readonly capable = new Map<ScheduleWorker, Set<string>>();
  private readonly runs = new Map<number, InFlight>();
  private readonly now: () => Moment;
  private cancelTimer = () => {};
  private readonly setTimer: NonNullable<PoolSchedulerOptions["setTimer"]>;
  private nextRunId = 1;
  private rotation = 0;
  private stopped = false;
  /** The cluster's tick locks (--cluster-redis); absent: the pool is the whole world. */
  private locks?: ScheduleLocks;

  constructor(private readonly options: PoolSchedulerOptions) {
    this.now = options.now ?? (() => ({ mono: monotonicNow(), wall: Date.now() }));
    this.setTimer = options.setTimer ?? realTimer;
  }

  /** Takes every message a worker sends (after the pool saw it, so "ready" finds the worker ready). */
  onMessage(worker: ScheduleWorker, message: WorkerMessage): void {
    switch (message.type) {
      case "schedule":
        return void this.reported.set(worker, message.jobs);
      case "ready":
        return this.onReady(worker);
      case "schedule-done":
        return this.onDone(worker, message.id, message.ms, message.error);
    }
  }

  /**
   * Joins the cluster: from now on each tick runs once in the whole cluster,
   * claimed on Redis first (docs/SCHEDULE.md, "On a cluster"). Called before
   * any worker reported its jobs.
   */
  useClusterLocks(locks: ScheduleLocks): void {
    this.locks = locks;
  }

  /** No tick after this; runs in flight end as their workers answer or exit. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  status(): JobStatus[] {
    const now = this.now();
    return [...this.jobs.values()].map((job) => job.status(now));
  }

  private onReady(worker: ScheduleWorker): void {
    const specs = this.reported.get(worker) ?? [];
    this.reported.delete(worker);
    this.capable.set(worker, new Set(specs.map((s) => s.name)));
    void worker.exited.then(() => this.onExit(worker));
    this.adopt(specs);
  }

  /** The newest ready worker's jobs are the schedule: unchanged jobs keep their clock, changed ones restart it. */
  private adopt(specs: JobSpec[]): void {
    const now = this.now();
    const names = new Set(specs.map((s) => s.name));
    for (const name of this.jobs.keys()) if (!names.has(name)) this.jobs.delete(name);
    for (const spec of specs) {
      const old = this.jobs.get(spec.name);
      if (old && sameTiming(old.spec, spec)) {
        old.spec = spec;
        continue;
      }
      let job: JobState;
      try {
        job = new JobState(spec, this.locks !== undefined);
      } catch (error) {
        // The worker checked it (spec.ts); a spec that still fails here is left out, not fatal.
        this.options.log.error(`scheduled job "${spec.name}" left out: ${(error as Error).message}`);
        continue;
      }
      if (old) Object.assign(job, { runs: old.runs, failures: old.failures, skips: old.skips, missed: old.missed, last: old.last, cluster: old.cluster });
      for (const [id, run] of old?.running ?? []) job.running.set(id, run);
      job.due = firstDue(job.timing, now);
      this.jobs.set(spec.name, job);
    }
    this.arm();
  }

  /** Sleeps until the earliest job is due (or must be looked at again). */
  private arm(): void {
    this.cancelTimer();
    if (this.stopped) return;
    const now = this.now();
    let sleep: number | null = null;
    for (const job of this.jobs.values()) {
      const ms = sleepFor(job.due, now);
      if (ms !== null && (sleep === null || ms < sleep)) sleep = ms;
    }
    if (sleep === null) return;
    this.cancelTimer = this.setTimer(Math.ceil(sleep), () => this.wake());
  }

  private wake(): void {
    const now = this.now();
    for (const job of this.jobs.values()) {
      const tick = planTick(job.timing, job.due, now);
      const scheduledAt = tick.fire ? Math.round(tickWall(job.due, tick.tickAt!, now)) : 0;
      job.due = tick.next;
      job.missed += tick.missed;
      if (tick.fire) this.fire(job, now, scheduledAt);
    }
    this.arm();
  }

  private fire(job: JobState, now: Moment, scheduledAt: number): void {
    if (!job.spec.overlap && (job.running.size > 0 || job.claiming)) {
      job.skips++;
      if (job.skipStreak++ === 0) {
        this.options.log.warn(`scheduled job "${job.spec.name}" is still running from an earlier tick: skipping ticks until it ends (set overlap: true to allow overlapping runs)`);
      }
      return;
    }
    if (!this.locks) return this.start(job, now, scheduledAt);
    // No worker here: no claim either, so another node may run the tick.
    if (this.candidates(job.spec.name).length === 0) {
      job.missed++;
      return;
    }
    job.claiming = true;
    void claimTick(this.locks, job, scheduledAt, this.options.log).then((lock) => {
      job.claiming = false;
      if (!lock) return;
      // Stopped, or the job left (or changed) meanwhile: nothing runs, and the lock goes at once.
      if (this.stopped || this.jobs.get(job.spec.name) !== job) return lock.release();
      this.start(job, this.now(), scheduledAt, lock);
    });
  }

  /** Hands the tick to a worker; `lock`: this node holds the tick's cluster lock until the run ends. */
  private start(job: JobState, now: Moment, scheduledAt: number, lock?: HeldLock): void {
    const worker = this.choose(job.spec.name);
    if (!worker) {
      lock?.release();
      job.missed++;
      return;
    }
    const run: InFlight = { id: this.nextRunId++, job: job.spec.name, worker: { slot: worker.slot, pid: worker.pid }, handle: worker, startedMono: now.mono, startedWall: now.wall, lock };
    job.runs++;
    job.running.set(run.id, run);
    this.runs.set(run.id, run);
    const cluster = lock && this.locks ? { node: this.locks.node, fence: lock.fence } : undefined;
    if (!worker.send({ type: "schedule-run", id: run.id, name: job.spec.name, scheduledAt, ...(cluster ? { cluster } : {}) })) {
      return this.fail(run, `cannot reach worker ${worker.slot} (pid ${worker.pid})`);
    }
    lock?.onLost((reason) => this.lockLost(run, reason));
    const limit = job.spec.timeout;
    if (limit !== undefined) run.cancelTimeout = this.setTimer(limit, () => this.timeOut(run, limit));
  }

  /** The run's cluster lock is gone while it runs: another node may run the job now, so the run is asked to stop. */
  private lockLost(run: InFlight, reason: string): void {
    if (!this.runs.has(run.id)) return;
    const job = this.jobs.get(run.job);
    if (job?.cluster) job.cluster.locksLost++;
    this.options.log.warn(`scheduled job "${run.job}" lost its cluster lock on worker ${run.worker.slot}: ${reason}; its signal is aborted`);
    run.handle.send({ type: "schedule-abort", id: run.id, reason: `Scheduled job "${run.job}" lost its cluster lock: ${reason}` });
  }

  /** The ready workers that have the job. */
  private candidates(name: string): ScheduleWorker[] {
    return [...this.capable].filter(([w, names]) => w.state === "ready" && names.has(name)).map(([w]) => w);
  }

  /** A ready worker that has the job: the least busy with runs, in turn among equals. */
  private choose(name: string): ScheduleWorker | undefined {
    const candidates = this.candidates(name);
    if (candidates.length === 0) return undefined;
    candidates.sort((a, b) => a.slot - b.slot || a.pid - b.pid);
    const start = this.rotation++ % candidates.length;
    const ordered = [...candidates.slice(start), ...candidates.slice(0, start)];
    const load = (w: ScheduleWorker) => [...this.runs.values()].filter((r) => r.handle === w).length;
    return ordered.reduce((best, w) => (load(w) < load(best) ? w : best));
  }

  private onDone(worker: ScheduleWorker, id: number, ms: number, error?: string): void {
    const run = this.runs.get(id);
    if (!run || run.handle !== worker) return;
    this.end(run, ms, error);
  }

  /** A worker's process is gone: what it was running failed, and it gets no more ticks. */
  private onExit(worker: ScheduleWorker): void {
    this.capable.delete(worker);
    this.reported.delete(worker);
    for (const run of [...this.runs.values()]) {
      if (run.handle === worker) this.fail(run, `worker ${worker.slot} (pid ${worker.pid}) exited during the run`);
    }
  }

  /** Past its timeout a run is failed and unlocked now; the worker is asked to abort it. */
  private timeOut(run: InFlight, limit: number): void {
    if (!this.runs.has(run.id)) return;
    const reason = `timed out after ${limit} ms on worker ${run.worker.slot}`;
    run.handle.send({ type: "schedule-abort", id: run.id, reason: `Scheduled job "${run.job}" ${reason}` });
    this.fail(run, reason);
  }

  private fail(run: InFlight, reason: string): void {
    this.options.log.error(`scheduled job "${run.job}" failed: ${reason}`);
    this.end(run, this.now().mono - run.startedMono, reason);
  }

  private end(run: InFlight, ms: number, error?: string): void {
    run.cancelTimeout?.();
    run.lock?.release();
    this.runs.delete(run.id);
    const job = this.jobs.get(run.job);
    if (!job?.running.delete(run.id)) return; // the job left the schedule meanwhile
    if (error !== undefined) job.failures++;
    job.last = { startedWall: run.startedWall, ms, error: error === undefined ? undefined : error.slice(0, MAX_ERROR_CHARS) };
    if (job.running.size === 0 && job.skipStreak > 0) {
      this.options.log.info(`scheduled job "${run.job}" ended after ${Math.round(ms)} ms; ${job.skipStreak} tick${job.skipStreak === 1 ? "" : "s"} skipped meanwhile`);
      job.skipStreak = 0;
    }
  }
}
