import type { ClaimedJob, DurableQueue } from "../cluster/durable-queue.ts";
import type { Logger } from "../log.ts";
import type { TaskWorkerMessage } from "../tasks/messages.ts";
import type { DurableCounters, DurableOutcome } from "../tasks/durable.ts";
import { backoffMs, type TaskQueue, type TaskSubmitter } from "../tasks/queue.ts";

// The reaper's period: a dead node's task is back in line at most this long after its deadline.
const REAP_EVERY_MS = 1000;
// A Redis call that hangs must not hold a dispatch or the pump for longer.
const CALL_LIMIT_MS = 5000;
// While Redis fails, the pump waits this long at most between tries.
const MAX_BACKOFF_MS = 2000;

type Submit = Extract<TaskWorkerMessage, { type: "task-submit" }>;

export interface DurableTasksOptions {
  queue: DurableQueue;
  tasks: Pick<TaskQueue, "freeRunners" | "runDurable" | "names">;
  /** --task-visibility-timeout. */
  visibility: number;
  /** --task-durable-poll. */
  pollMs: number;
  /** The cluster's Redis link is up. */
  isUp(): boolean;
  log: Logger;
}


/**
 * One node's side of the durable task queue (docs/TASKS.md, "Durable
 * tasks"): puts dispatches on Redis, claims jobs while task workers are idle
 * and runs each as one attempt on the local queue, renews the claim while it
 * runs, acks, fails or gives it back, and reaps expired claims of any node.
 */
export class DurableTasks {
  readonly counters: DurableCounters = { dispatched: 0, claimed: 0, done: 0, failed: 0, retried: 0, returned: 0, givenBack: 0, running: 0, ready: 0, active: 0, delayed: 0 };
  private readonly running = new Map<string, ReturnType<typeof setInterval>>();
  private readonly pending = new Set<Promise<unknown>>();
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private claiming = false;
  /** Claims on their way with an ack (ackAndClaim), each for a task worker it left free. */
  private reserved = 0;
  /**
   * The last claim found a job: more are likely waiting. Only then does a
   * finished job's ack claim the next one; with the queue empty (jobs
   * dispatched one at a time) the claim a dispatch makes is the one that
   * finds its job, and an ack that claims too would only add a call.
   */
  private backlog = false;
  /** Calls of wake(): an ack-and-claim that found nothing knows whether a dispatch came while it was on its way. */
  private wakes = 0;
  private again = false;
  private stopped = false;
  private failures = 0;
  private pausedUntil = 0;

  constructor(private readonly options: DurableTasksOptions) {}

  start(): void {
    const poll = setInterval(() => this.wake(), this.options.pollMs);
    const reap = setInterval(() => void this.reap(), REAP_EVERY_MS);
    this.timers = [poll, reap];
    for (const timer of this.timers) (timer as { unref?: () => void }).unref?.();
  }

  /** A dispatch: on Redis, or refused; never queued in memory. */
  submit(from: TaskSubmitter, message: Submit): void {
    const refuse = (code: "TASK_UNKNOWN" | "TASK_CLUSTER_DOWN" | "TASK_FAILED", text: string) => void from.send({ type: "task-result", ref: message.ref, error: { code, message: text } });
    const { name, payload, spec } = message;
    if (this.stopped) return refuse("TASK_FAILED", `Cannot dispatch task "${name}": the server is stopping`);
    const names = this.options.tasks.names;
    if (names.size > 0 && !names.has(name)) return refuse("TASK_UNKNOWN", `The app has no task "${name}"`);
    const down = `Cannot dispatch durable task "${name}": the cluster's Redis is unreachable`;
    if (!this.options.isUp()) return refuse("TASK_CLUSTER_DOWN", down);
    this.track(within(this.options.queue.enqueue(name, payload, spec), CALL_LIMIT_MS).then(
      (id) => {
        this.counters.dispatched++;
        from.send({ type: "task-accepted", ref: message.ref, id });
        this.wake();
      },
      (error: Error) => refuse("TASK_CLUSTER_DOWN", `${down} (${error.message})`),
    ));
  }

  /** Claims jobs while task workers are idle; at once after a dispatch or a finished task, else at each poll. */
  wake(): void {
    this.wakes++;
    if (this.stopped || performance.now() < this.pausedUntil) return;
    if (this.claiming) return void (this.again = true);
    this.claiming = true;
    void this.claimWhileFree().finally(() => {
      this.claiming = false;
      if (!this.again) return;
      this.again = false;
      this.wake();
    });
  }

  /** No more claims (the server stops); what runs goes on. */
  stopClaiming(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
  }

  /** Resolves once every ack, fail and give-back in flight has been answered (before the Redis link closes). */
  async close(): Promise<void> {
    this.stopClaiming();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  status(): DurableCounters {
    return { ...this.counters, running: this.running.size };
  }

  /** A task worker is idle that no claim on its way is for. */
  private mayClaim(): boolean {
    return !this.stopped && this.options.tasks.freeRunners() - this.reserved > 0;
  }

  private async claimWhileFree(): Promise<void> {
    const { queue, isUp } = this.options;
    while (this.mayClaim() && isUp()) {
      let job: ClaimedJob | undefined;
      try {
        job = await within(queue.claim(), CALL_LIMIT_MS);
      } catch (error) {
        return this.backOff(error as Error);
      }
      this.failures = 0;
      this.backlog = job !== undefined;
      if (!job) return;
      // Stopped while the claim was on its way: it goes straight back.
      if (this.stopped) return void this.end(job, { lost: true });
      this.run(job);
    }
  }

  private run(job: ClaimedJob): void {
    this.counters.claimed++;
    const renew = setInterval(() => void this.extend(job), Math.max(1, Math.floor(this.options.visibility / 3)));
    this.running.set(job.id, renew);
    const { id, name, payload, attempt, tries, timeout } = job;
    this.options.tasks.runDurable({ id, name, payload, attempt, tries, timeout }, (outcome) => this.end(job, outcome));
  }

  private async extend(job: ClaimedJob): Promise<void> {
    try {
      if (await within(this.options.queue.extend(job), CALL_LIMIT_MS)) return;
      this.options.log.warn(`durable task "${job.name}" (${job.id}) is no longer this node's claim (it passed its visibility timeout): another node may run it too`);
      clearInterval(this.running.get(job.id));
    } catch {
      // Redis away: the next turn tries again; past the visibility timeout the reaper of a node that sees Redis gives it back.
    }
  }

  // long: the three ends of an attempt (done, failed, lost) and what each tells Redis
  private end(job: ClaimedJob, outcome: DurableOutcome): void {
    clearInterval(this.running.get(job.id));
    this.running.delete(job.id);
    const { queue, log } = this.options;
    const what = `durable task "${job.name}" (${job.id})`;
    // A success claims the next job in the call that acks it, for the task worker it leaves free.
    const claimNext = this.backlog && !outcome.lost && !outcome.error && this.mayClaim() && this.options.isUp() && performance.now() >= this.pausedUntil;
    if (claimNext) this.reserved++;
    const settle = async () => {
      if (outcome.lost) {
        if (await queue.release(job)) this.counters.givenBack++;
        return log.warn(`${what} given back unfinished: the server stopped before it ended`);
      }
      if (!outcome.error) {
        this.counters.done++;
        if (!(await (claimNext ? this.ackAndRunNext(job) : queue.ack(job)))) log.warn(`${what} finished after its claim expired: another node may have run it too`);
        return;
      }
      const verdict = await queue.fail(job, backoffMs(job.fails + 1));
      if (verdict === "retry") return void this.counters.retried++;
      this.counters.failed++;
      const { error } = outcome;
      log.error(`dispatched ${what} failed: ${error.message}${error.cause ? `: ${error.cause.message}` : ""}`);
    };
    this.track(within(settle(), CALL_LIMIT_MS).catch((error: Error) => {
      log.warn(`${what}: Redis did not take its outcome (${error.message}); it runs again after the visibility timeout`);
    }));
    if (!claimNext) this.wake();
  }

  /**
   * Acks a finished job and claims the next in one call (end() reserved the
   * task worker it left free), then runs that job. True when the ack was this
   * node's to make. An empty queue ends it: no claim of its own follows,
   * unless a dispatch came meanwhile.
   */
  private async ackAndRunNext(job: ClaimedJob): Promise<boolean> {
    let reply: Awaited<ReturnType<DurableQueue["ackAndClaim"]>>;
    const wakesBefore = this.wakes;
    try {
      reply = await this.options.queue.ackAndClaim(job);
    } finally {
      this.reserved--;
    }
    const { acked, next } = reply;
    this.backlog = next !== undefined;
    if (!next) {
      // A dispatch whose claim this call held back may have reached Redis after it.
      if (this.wakes !== wakesBefore) this.wake();
      return acked;
    }
    // Stopped while the claim was on its way: it goes straight back.
    if (this.stopped) this.end(next, { lost: true });
    else this.run(next);
    this.wake();
    return acked;
  }

  private async reap(): Promise<void> {
    if (!this.options.isUp()) return;
    try {
      const reply = await within(this.options.queue.reap(), CALL_LIMIT_MS);
      Object.assign(this.counters, { ready: reply.ready, active: reply.active, delayed: reply.delayed });
      this.counters.returned += reply.returned;
      if (reply.returned > 0) {
        this.options.log.warn(`${reply.returned} durable task${reply.returned === 1 ? "" : "s"} passed the visibility timeout on ${reply.returned === 1 ? "its" : "their"} node and went back in line`);
        this.wake();
      }
    } catch {
      // Redis away: the pump says so through its backoff; the next second tries again.
    }
  }

  private backOff(error: Error): void {
    this.failures++;
    const wait = Math.min(MAX_BACKOFF_MS, this.options.pollMs * 2 ** this.failures);
    this.pausedUntil = performance.now() + wait;
    if (this.failures === 1) this.options.log.warn(`durable tasks: cannot claim from Redis (${error.message}); trying again with backoff`);
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
    promise.then((value) => (clearTimeout(timer), resolve(value)), (error) => (clearTimeout(timer), reject(error)));
  });
}
