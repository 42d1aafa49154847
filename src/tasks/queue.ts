import type { Logger } from "../log.ts";
import type { DurableAttempt, DurableEnd } from "./durable.ts";
import type { TaskFailure, TaskSpec, TaskSupervisorMessage, TaskWorkerMessage } from "./messages.ts";

/** A process that submits tasks (any worker); `WorkerHandle` is one. */
export interface TaskSubmitter {
  readonly pid: number;
  send(message: TaskSupervisorMessage): boolean;
}

/** A task worker as the queue sees it; `WorkerHandle` is one. */
export interface TaskRunner extends TaskSubmitter {
  readonly slot: number;
  readonly state: string;
  kill(signal: "SIGKILL"): void;
}

type Submit = Extract<TaskWorkerMessage, { type: "task-submit" }>;

interface Task {
  id: string;
  name: string;
  payload: string;
  spec: TaskSpec;
  attempt: number;
  /** Who waits for the result (a `run`); absent for a `dispatch`. */
  waiter?: { peer: TaskSubmitter; ref: number };
  /** A durable task's outcome goes here instead (retry and loss are the durable queue's). */
  durable?: DurableEnd;
  cancelTimer?: () => void;
}


export interface TaskQueueOptions {
  /** Tasks waiting (delayed or queued) at most. */
  limit: number;
  log: Logger;
  /** False when there are no task workers and none will come (--task-workers 0). */
  enabled(): boolean;
  /** How long past its timeout an attempt's worker may take to answer before it is killed. */
  killMargin: number;
  /** Runs `wake` after `ms`; returns a cancel function (tests pass a fake). */
  setTimer?: (ms: number, wake: () => void) => () => void;
}

export interface TaskCounters {
  /** Waiting for a task worker (their delay passed). */
  queued: number;
  /** Waiting for their delay (or a retry's backoff). */
  delayed: number;
  running: number;
  done: number;
  failed: number;
  retried: number;
  /** Still waiting or running when the supervisor stopped: logged one by one. */
  lost: number;
}

const realTimer = (ms: number, wake: () => void) => {
  const timer = setTimeout(wake, ms);
  return () => clearTimeout(timer);
};

/** The wait before retry `n` (1-based): 100 ms, doubling, at most 30 s. */
export function backoffMs(retry: number): number {
  return Math.min(30_000, 100 * 2 ** (retry - 1));
}

/**
 * The supervisor's task queue: bounded, in memory (at most once: it dies with
 * the supervisor). It holds delayed tasks on timers, hands each queued task
 * to an idle task worker (one task per worker at a time), retries with
 * backoff, times attempts out, and answers whoever waits for a result.
 * Pure: it only calls `send` and `kill`, so tests drive it with fake peers.
 */
export class TaskQueue {
  private readonly delayed = new Set<Task>();
  private readonly queue: Task[] = [];
  /** The task each task worker runs; an entry stays after a timeout until the worker answers or is killed. */
  private readonly busy = new Map<TaskRunner, { task: Task; over: boolean }>();
  private readonly runners = new Set<TaskRunner>();
  private readonly setTimer: NonNullable<TaskQueueOptions["setTimer"]>;
  private readonly settledWaiters = new Set<() => void>();
  private nextId = 1;
  private closed = false;
  readonly counters = { done: 0, failed: 0, retried: 0, lost: 0 };
  /** Task names the app has (from the workers' reports); empty before the first. */
  names = new Set<string>();

  constructor(private readonly options: TaskQueueOptions) {
    this.setTimer = options.setTimer ?? realTimer;
  }

  stats(): TaskCounters {
    const running = [...this.busy.values()].filter((b) => !b.over).length;
    return { queued: this.queue.length, delayed: this.delayed.size, running, ...this.counters };
  }

  /** Task workers ready and idle, less the tasks queued for them: how many durable tasks to claim now. */
  freeRunners(): number {
    let free = 0;
    for (const runner of this.runners) if (runner.state === "ready" && !this.busy.has(runner)) free++;
    return this.closed ? 0 : free - this.queue.length;
  }

  /** Runs one attempt of a durable task on the next idle task worker; `onEnd` hears how it ended (never retried here). */
  runDurable(attempt: DurableAttempt, onEnd: DurableEnd): void {
    const { id, name, payload, tries, timeout } = attempt;
    this.queue.push({ id, name, payload, spec: { delay: 0, tries, timeout }, attempt: attempt.attempt - 1, durable: onEnd });
    this.pump();
  }

  /** A task worker is ready for tasks. */
  addRunner(runner: TaskRunner): void {
    this.runners.add(runner);
    this.pump();
  }

  submit(from: TaskSubmitter, message: Submit): void {
    const refuse = (error: TaskFailure) => void from.send({ type: "task-result", ref: message.ref, error });
    if (this.closed) return refuse({ code: "TASK_FAILED", message: `Cannot run task "${message.name}": the server is stopping` });
    if (!this.options.enabled()) return refuse({ code: "TASK_NO_WORKERS", message: `Cannot run task "${message.name}": this server runs no task workers (--task-workers 0)` });
    if (this.names.size > 0 && !this.names.has(message.name)) return refuse({ code: "TASK_UNKNOWN", message: `The app has no task "${message.name}"` });
    if (this.queue.length + this.delayed.size >= this.options.limit) {
      return refuse({ code: "TASK_QUEUE_FULL", message: `Cannot queue task "${message.name}": ${this.options.limit} tasks are waiting already (--task-queue-limit)` });
    }
    const task: Task = { id: `t${this.nextId++}`, name: message.name, payload: message.payload, spec: message.spec, attempt: 0, waiter: message.wait ? { peer: from, ref: message.ref } : undefined };
    // A waiting caller hears only the result: the id would be one more message each way for nothing.
    if (!message.wait) from.send({ type: "task-accepted", ref: message.ref, id: task.id });
    this.enqueue(task, task.spec.delay);
  }

  /** A task worker's answer for one attempt. */
  onDone(runner: TaskRunner, message: Extract<TaskWorkerMessage, { type: "task-done" }>): void {
    const entry = this.busy.get(runner);
    if (!entry || entry.task.id !== message.id) return;
    this.busy.delete(runner);
    if (!entry.over) {
      entry.task.cancelTimer?.();
      if (message.error) this.attemptFailed(entry.task, message.error);
      else this.succeed(entry.task, message.result);
    }
    this.pump();
  }

  /** A task worker's process is gone: the attempt it ran failed (TASK_FAILED), retried if tries remain. */
  onExit(runner: TaskRunner): void {
    this.runners.delete(runner);
    const entry = this.busy.get(runner);
    this.busy.delete(runner);
    if (entry && !entry.over) {
      entry.task.cancelTimer?.();
      this.attemptFailed(entry.task, { code: "TASK_FAILED", message: `Task "${entry.task.name}" (${entry.task.id}) failed: task worker ${runner.slot} (pid ${runner.pid}) exited during the task` });
    }
    this.pump();
  }

  /** Resolves once nothing waits or runs (delayed tasks included), or after `ms`. */
  settled(ms: number): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => (cancel(), this.settledWaiters.delete(done), resolve());
      const cancel = this.setTimer(ms, done);
      this.settledWaiters.add(done);
    });
  }

  /** At stop, after settled(): every task still waiting or running is logged, counted lost and failed for its waiter. */
  loseRemaining(): void {
    this.closed = true;
    const remaining = [...this.delayed, ...this.queue, ...[...this.busy.values()].filter((b) => !b.over).map((b) => b.task)];
    this.delayed.clear();
    this.queue.length = 0;
    this.busy.clear();
    for (const task of remaining) {
      task.cancelTimer?.();
      // Still on Redis: the durable queue gives it back for another node.
      if (task.durable) {
        task.durable({ lost: true });
        continue;
      }
      this.counters.lost++;
      this.options.log.error(`task "${task.name}" (${task.id}) lost: the server stopped before it could run to its end`);
      this.answer(task, { error: { code: "TASK_FAILED", message: `Task "${task.name}" (${task.id}) was lost: the server stopped` } });
    }
  }

  /**
   * Fails every task still waiting for a worker or its delay (none can run:
   * no task workers will come), counted as failed.
   */
  refuseWaiting(error: TaskFailure): void {
    const waiting = [...this.delayed, ...this.queue];
    this.delayed.clear();
    this.queue.length = 0;
    for (const task of waiting) {
      task.cancelTimer?.();
      if (task.durable) {
        task.durable({ lost: true });
        continue;
      }
      this.counters.failed++;
      this.answer(task, { error });
    }
  }

  private idle(): boolean {
    return this.delayed.size === 0 && this.queue.length === 0 && ![...this.busy.values()].some((b) => !b.over);
  }

  private enqueue(task: Task, delay: number): void {
    if (delay <= 0) {
      this.queue.push(task);
      return this.pump();
    }
    this.delayed.add(task);
    task.cancelTimer = this.setTimer(delay, () => {
      this.delayed.delete(task);
      this.queue.push(task);
      this.pump();
    });
  }

  /** Hands queued tasks to idle task workers, first come first served. */
  private pump(): void {
    for (const runner of this.runners) {
      if (this.queue.length === 0) break;
      if (runner.state !== "ready" || this.busy.has(runner)) continue;
      this.start(this.queue.shift()!, runner);
    }
    this.checkSettled();
  }

  private start(task: Task, runner: TaskRunner): void {
    task.attempt++;
    this.busy.set(runner, { task, over: false });
    const { timeout, tries } = task.spec;
    const sent = runner.send({ type: "task-run", id: task.id, name: task.name, payload: task.payload, attempt: task.attempt, tries, timeout });
    if (!sent) return this.onExit(runner);
    task.cancelTimer = timeout > 0 ? this.setTimer(timeout, () => this.timeOut(task, runner)) : undefined;
  }

  /** Past its timeout: the signal is aborted, the attempt fails now; a worker that does not answer within the margin is killed. */
  private timeOut(task: Task, runner: TaskRunner): void {
    const entry = this.busy.get(runner);
    if (entry?.task !== task || entry.over) return;
    entry.over = true;
    const message = `Task "${task.name}" (${task.id}) timed out after ${task.spec.timeout} ms (attempt ${task.attempt} of ${task.spec.tries})`;
    runner.send({ type: "task-abort", id: task.id, reason: message });
    this.setTimer(this.options.killMargin, () => {
      if (this.busy.get(runner) !== entry) return;
      this.options.log.warn(`task worker ${runner.slot} (pid ${runner.pid}) ignored the abort of task "${task.name}" (${task.id}) for ${this.options.killMargin} ms: killing it`);
      runner.kill("SIGKILL");
    });
    this.attemptFailed(task, { code: "TASK_TIMEOUT", message });
  }

  private attemptFailed(task: Task, error: TaskFailure): void {
    if (task.durable) return void (task.durable({ error }), this.checkSettled());
    // An unknown task or a payload the handler could not take fails the same way on every try.
    if (task.attempt < task.spec.tries && error.code !== "TASK_UNKNOWN" && error.code !== "TASK_INVALID") {
      this.counters.retried++;
      return this.enqueue(task, backoffMs(task.attempt));
    }
    this.counters.failed++;
    if (!task.waiter) this.options.log.error(`dispatched task "${task.name}" (${task.id}) failed: ${error.message}${error.cause ? `: ${error.cause.message}` : ""}`);
    this.answer(task, { error });
  }

  private succeed(task: Task, result: string | undefined): void {
    if (task.durable) return void (task.durable({ result }), this.checkSettled());
    this.counters.done++;
    this.answer(task, { result });
  }

  private answer(task: Task, outcome: { result?: string; error?: TaskFailure }): void {
    if (task.waiter) task.waiter.peer.send({ type: "task-result", ref: task.waiter.ref, ...outcome });
    this.checkSettled();
  }

  private checkSettled(): void {
    if (this.settledWaiters.size === 0 || !this.idle()) return;
    for (const done of [...this.settledWaiters]) done();
  }
}
