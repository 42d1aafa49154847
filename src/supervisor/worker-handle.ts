import type { ExitReason, SupervisorMessage, WorkerMessage, WorkerStats } from "../bus/protocol.ts";
import type { MessageChannel } from "../bus/ndjson.ts";
import { LskyError } from "../errors.ts";
import { type MetricFamilyJSON, validFamilies } from "../metrics/app-metrics.ts";
import { Lifecycle, type LifecycleState } from "./lifecycle.ts";
import type { RequestMetrics } from "../metrics/request-metrics.ts";
import type { WorkerProcess } from "../runtime/spawn-worker.ts";
import { monotonicNow } from "../clock.ts";
import { RecentLag } from "./heartbeat-judge.ts";
import type { KernelProgress } from "./process-io.ts";

/** Where a worker is in its lifecycle (lifecycle.ts). */
export type WorkerState = LifecycleState;

export interface ExitRecord {
  reason: ExitReason;
  code: number | null;
  signal: string | null;
  at: number;
}

// How long an exited worker's last bus messages are waited for.
const LAST_MESSAGES_WAIT_MS = 1000;

/** One worker process as the supervisor sees it. */
export class WorkerHandle {
  readonly slot: number;
  readonly process: WorkerProcess;
  /** Monotonic ms (clock.ts), like every time the supervisor keeps. */
  readonly startedAt = monotonicNow();
  /** Its state and the cause of each change; only `lifecycle.transition` moves it. */
  readonly lifecycle: Lifecycle;
  /** False for a custom process: on the bus, but not addressable by a worker id (message-router.ts). */
  addressable = true;
  readyAt = 0;
  /** Running-clock time (clock.ts) of its last message; the pool sets it. */
  lastSeen = 0;
  /** The worst event-loop delay the worker measured in its last heartbeat period, in ms. */
  reportedLag = 0;
  /** The worst of its recent heartbeats' lags: what the watchdog allows for. */
  readonly recentLag = new RecentLag();
  /** While it is silent past its allowance: what it had done in the kernel at the watchdog's last look. */
  silentProgress?: KernelProgress;
  /** While it is silent: when the watchdog found it overloaded rather than hung. */
  sparedSince?: number;
  stats: WorkerStats = { requests: 0, inflight: 0, rss: 0 };
  /** The request metrics of its last heartbeat (only when metrics are on). */
  metrics?: RequestMetrics;
  /** Said in its ready message: the app exports a metrics registry. */
  hasAppMetrics = false;
  /** The app's metrics from its last answer (src/supervisor/app-metrics-collector.ts). */
  appMetrics?: MetricFamilyJSON[];
  private appMetricsWaiters: Array<() => void> = [];
  channel?: MessageChannel<SupervisorMessage>;
  bootFailure?: { message: string; detail: string; exitCode: number };
  exit?: ExitRecord;
  private channelClosed = false;
  private onChannelClosed?: () => void;
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitRecord>;
  private settleReady!: (error?: Error) => void;
  private settleExit!: (record: ExitRecord) => void;
  private timers: ReturnType<typeof setTimeout>[] = [];

  constructor(slot: number, process: WorkerProcess) {
    this.slot = slot;
    this.process = process;
    this.lifecycle = new Lifecycle(`worker ${slot} (pid ${process.pid})`);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (error) => (error ? reject(error) : resolve());
    });
    this.ready.catch(() => {}); // observed by whoever awaits it; never unhandled
    this.exited = new Promise((resolve) => (this.settleExit = resolve));
  }

  /** Its app metrics arrived (the pool calls this): wakes whoever waits for them. */
  receivedAppMetrics(families: MetricFamilyJSON[]): void {
    this.appMetrics = families;
    for (const wake of this.appMetricsWaiters.splice(0)) wake();
  }

  /** Resolves at its next app-metrics answer, or when it exits. */
  nextAppMetrics(): Promise<void> {
    return Promise.race([new Promise<void>((resolve) => this.appMetricsWaiters.push(resolve)), this.exited.then(() => {})]);
  }

  get pid(): number {
    return this.process.pid;
  }

  get state(): WorkerState {
    return this.lifecycle.state;
  }

  /** A message arrived (running-clock time): whatever silence it was in is over. */
  heard(now: number): void {
    this.lastSeen = now;
    this.silentProgress = undefined;
    this.sparedSince = undefined;
  }

  /** A heartbeat: its counters, event-loop lag and request metrics. */
  recordStats(message: Extract<WorkerMessage, { type: "stats" }>): void {
    this.stats = { requests: message.requests, inflight: message.inflight, rss: message.rss, websockets: message.websockets, heapSlope: message.heapSlope,
      ...(message.listeners ? { listeners: message.listeners } : {}) };
    if (typeof message.lag === "number") {
      this.reportedLag = message.lag;
      this.recentLag.record(message.lag);
    }
    if (message.metrics) this.metrics = message.metrics;
    if (message.appMetrics) this.receivedAppMetrics(validFamilies(message.appMetrics));
  }

  markChannelClosed(): void {
    this.channelClosed = true;
    this.onChannelClosed?.();
  }

  /**
   * Resolves once the worker's last messages have been read: its exit can be
   * seen before the bus socket delivers what it sent just before exiting (a
   * boot failure's reason, say). A worker that exited with an error before it
   * was ready may have said why on a connection not yet accepted or
   * identified, so it is waited for too. Bounded, for one that never connected.
   */
  messagesRead(code: number | null, signal: string | null): Promise<void> {
    if (this.channelClosed) return Promise.resolve();
    const mayHaveSaidWhy = this.readyAt === 0 && signal === null && code !== 0;
    if (!this.channel && !mayHaveSaidWhy) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, LAST_MESSAGES_WAIT_MS);
      this.onChannelClosed = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * The worker is ready. Only a starting worker becomes ready: one told to
   * stop (or killed) while it booted may still say so on its way out.
   */
  markReady(): void {
    if (!this.lifecycle.can("ready", "booted")) return;
    this.lifecycle.transition("ready", "booted");
    this.readyAt = monotonicNow();
    this.settleReady();
  }

  /**
   * Kills the worker for a failure (it did not boot in time, or hung); its
   * exit, when it comes, carries that cause.
   */
  killFor(cause: "boot-failed" | "unresponsive"): void {
    this.lifecycle.transition("killing", cause);
    this.kill("SIGKILL");
  }

  /**
   * Records the exit, with the reason its lifecycle gives (lifecycle.ts), and
   * fails a pending `ready` with the reason the worker gave.
   */
  markExited(code: number | null, signal: string | null): ExitRecord {
    this.clearTimers();
    const reason: ExitReason = this.lifecycle.exitCause();
    this.lifecycle.transition("exited", reason);
    const record: ExitRecord = { reason, code, signal, at: monotonicNow() };
    this.exit = record;
    // Not only "starting": a worker told to stop while it booted is "draining" and never became ready.
    if (this.readyAt === 0) this.settleReady(this.bootError(code, signal));
    this.settleExit(record);
    return record;
  }

  /** False when the message was not queued (no connection, or its bus queue is full). */
  send(message: SupervisorMessage): boolean {
    return this.channel?.send(message) ?? false;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.state === "exited") return;
    try {
      this.process.kill(signal);
    } catch {
      // Already gone; the exit event follows.
    }
  }

  after(ms: number, action: () => void): void {
    const timer = setTimeout(action, ms);
    this.timers.push(timer);
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  bootError(code: number | null, signal: string | null): LskyError {
    const failure = this.bootFailure;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const message = failure
      ? failure.message
      : `Cannot start worker ${this.slot}: it ${how} before it was ready`;
    const error = new LskyError("WORKER_BOOT_FAILED", message, { hint: failure?.detail || undefined });
    (error as { exitStatus?: number }).exitStatus = failure?.exitCode ?? 1;
    return error;
  }
}
