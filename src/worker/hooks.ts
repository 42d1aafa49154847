import type { LskyBus } from "../bus/app-api.ts";
import { LskyError } from "../errors.ts";

/** The kinds of worker a hook may run in: HTTP workers and task workers (docs/TASKS.md). */
export type WorkerKind = "http" | "task";

/**
 * What `onWorkerStart(ctx)` and `onWorkerStop(ctx)` receive (docs/HOOKS.md).
 * One object per worker process: what the start hook puts on it is gone with
 * the process, so per-worker state belongs in the app's own module scope.
 */
export interface WorkerContext {
  /** The worker's id (1..N), as `bus.workerId`; a replacement inherits it. */
  readonly workerId: number;
  readonly kind: WorkerKind;
  readonly bus: LskyBus;
  /** Aborted when the time the hook may take is up (the stop hook's share of the grace period). */
  readonly signal: AbortSignal;
}

/** The lifecycle hooks an app's default export may carry. */
export interface WorkerHooks {
  onWorkerStart?(ctx: WorkerContext): unknown;
  onWorkerStop?(ctx: WorkerContext): unknown;
}

/** Reads the hooks off the app's default export; anything else than a function there is a usage error. */
export function readWorkerHooks(app: unknown): WorkerHooks {
  const hooks: WorkerHooks = {};
  if ((typeof app !== "object" && typeof app !== "function") || app === null) return hooks;
  for (const name of ["onWorkerStart", "onWorkerStop"] as const) {
    const hook = (app as Record<string, unknown>)[name];
    if (hook === undefined) continue;
    if (typeof hook !== "function") {
      throw new LskyError("APP_HOOK_FAILED", `Cannot start the app: its default export's ${name} is ${typeof hook}, not a function`, {
        hint: `Export ${name}(ctx) as a function, or leave it out`,
      });
    }
    hooks[name] = hook.bind(app) as (ctx: WorkerContext) => unknown;
  }
  return hooks;
}

/**
 * Runs `onWorkerStart` before the worker reports ready. A throw becomes the
 * worker's boot failure: the supervisor shows the app's error once, as it
 * does for an app that throws on import.
 */
export async function runWorkerStart(hooks: WorkerHooks, ctx: WorkerContext): Promise<void> {
  if (!hooks.onWorkerStart) return;
  try {
    await hooks.onWorkerStart(ctx);
  } catch (error) {
    // The message names the hook only: the app's error (its stack) follows
    // once, as the cause, so it is never printed twice.
    throw new LskyError("APP_HOOK_FAILED", `Cannot start worker ${ctx.workerId}: the app's onWorkerStart threw`, { cause: error });
  }
}

/**
 * Runs `onWorkerStop` after the worker drained, for at most `timeLeftMs`: a
 * hook still running then is abandoned (its signal aborted) so that the
 * worker exits within the grace period. A throw or an overrun is logged, never
 * fatal: the worker is leaving either way. Resolves with what happened.
 */
export async function runWorkerStop(
  hooks: WorkerHooks,
  ctx: Omit<WorkerContext, "signal">,
  timeLeftMs: number,
  log: (line: string) => void,
): Promise<"done" | "none" | "failed" | "timeout"> {
  if (!hooks.onWorkerStop) return "none";
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, timeLeftMs));
  });
  const ran = Promise.resolve()
    .then(() => hooks.onWorkerStop!({ ...ctx, signal: controller.signal }))
    .then(() => "done" as const, (error) => {
      log(`onWorkerStop of worker ${ctx.workerId} threw ${describeThrown(error)}`);
      return "failed" as const;
    });
  const outcome = await Promise.race([ran, expired]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    controller.abort(new LskyError("APP_HOOK_FAILED", "onWorkerStop ran out of the grace period"));
    log(`onWorkerStop of worker ${ctx.workerId} was still running when the grace period ended (${Math.max(0, Math.round(timeLeftMs))} ms left for it); the worker exits without waiting`);
  }
  return outcome;
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** A worker's hooks with what they need: the start hook once, the stop hook only after a start that succeeded. */
export interface WorkerLifecycle {
  start(app: unknown): Promise<void>;
  /** Runs the stop hook until `deadline` (monotonic ms, performance.now()). */
  stop(deadline: number): Promise<void>;
}

export function createWorkerLifecycle(workerId: number, bus: LskyBus, log: (line: string) => void, kind: WorkerKind = "http"): WorkerLifecycle {
  const base = { workerId, kind, bus };
  let hooks: WorkerHooks = {};
  let started = false;
  return {
    async start(app) {
      hooks = readWorkerHooks(app);
      await runWorkerStart(hooks, { ...base, signal: new AbortController().signal });
      started = true;
    },
    async stop(deadline) {
      if (!started) return;
      started = false;
      await runWorkerStop(hooks, base, deadline - performance.now(), log);
    },
  };
}
