import type { LskyBus } from "../bus/app-api.ts";
import type { SupervisorMessage, WorkerMessage } from "../bus/protocol.ts";
import type { ScheduleContext } from "./app-api.ts";
import type { JobSpec } from "./job-spec.ts";
import { readSchedule } from "./spec.ts";

export interface ScheduleRunnerOptions {
  workerId: number;
  bus: LskyBus;
  /** Sends to the supervisor; false when the connection is gone. */
  send(message: WorkerMessage): boolean;
  /** Where a failing job is reported (one line, the error's stack included). */
  logError(message: string): void;
}

type RunMessage = Extract<SupervisorMessage, { type: "schedule-run" }>;
type AbortMessage = Extract<SupervisorMessage, { type: "schedule-abort" }>;

/**
 * A worker's half of the scheduler: it reads the app's `schedule` export,
 * and runs a job when the supervisor says so (never on a clock of its own),
 * answering with how long the run took and what it threw.
 */
export function createScheduleRunner(options: ScheduleRunnerOptions) {
  let runners = new Map<string, (ctx: ScheduleContext) => unknown>();
  const inflight = new Set<Promise<void>>();
  const controllers = new Map<number, AbortController>();

  const run = (message: RunMessage) => runJob(options, runners.get(message.name), message, controllers);

  return {
    /** Reads the app's jobs (a malformed schedule throws INVALID_SCHEDULE, a boot failure) and returns what to report. */
    load(app: unknown): JobSpec[] {
      const read = readSchedule((app as { schedule?: unknown } | null)?.schedule);
      runners = read.runners as Map<string, (ctx: ScheduleContext) => unknown>;
      return read.specs;
    },
    /** Entries for the worker's dispatch table of supervisor messages. */
    receive: {
      "schedule-run": (message: RunMessage) => {
        const running = run(message);
        inflight.add(running);
        void running.finally(() => inflight.delete(running));
      },
      "schedule-abort": ({ id, reason }: AbortMessage) => {
        controllers.get(id)?.abort(new Error(reason));
      },
    },
    /** Resolves when no run is going on, or after `ms` (a draining worker lets its runs end first). */
    idle(ms: number): Promise<void> {
      return settledWithin(inflight, ms);
    },
  };
}

/** One run of a job: its context, its abort controller while it runs, and the `schedule-done` answer. */
async function runJob(
  options: ScheduleRunnerOptions,
  job: ((ctx: ScheduleContext) => unknown) | undefined,
  { id, name, scheduledAt, cluster }: RunMessage,
  controllers: Map<number, AbortController>,
): Promise<void> {
  const started = performance.now();
  const controller = new AbortController();
  controllers.set(id, controller);
  let error: string | undefined;
  try {
    if (!job) throw new Error(`worker ${options.workerId} has no scheduled job "${name}"`);
    const ctx: ScheduleContext = { name, workerId: options.workerId, scheduledAt: new Date(scheduledAt), runId: id, bus: options.bus, signal: controller.signal };
    if (cluster) ctx.cluster = { ...cluster };
    await job(ctx);
  } catch (thrown) {
    error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    const detail = thrown instanceof Error ? (thrown.stack ?? error) : error;
    options.logError(`scheduled job "${name}" failed on worker ${options.workerId}: ${detail}`);
  }
  controllers.delete(id);
  options.send({ type: "schedule-done", id, ms: performance.now() - started, ...(error === undefined ? {} : { error }) });
}

function settledWithin(inflight: Set<Promise<void>>, ms: number): Promise<void> {
  if (inflight.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void Promise.allSettled([...inflight]).then(() => (clearTimeout(timer), resolve()));
  });
}
