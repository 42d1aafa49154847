import type { ExitReason } from "../bus/protocol.ts";
import { LskyError } from "../errors.ts";
import { monotonicNow } from "../clock.ts";

/**
 * The lifecycle every supervised process goes through, whatever its kind
 * (docs/LIFECYCLE.md has the diagram). The states say where a process is; the
 * cause of each transition says why, so "asked to go" and "failed" never mix.
 *
 *   starting  launched, not yet ready (what "ready" means is the kind's business)
 *   ready     doing its work
 *   draining  asked to finish and exit, for a planned cause
 *   killing   sent SIGKILL for a failure (hung, or not ready in time); its exit follows
 *   exited    gone; the cause of this last transition is its exit reason
 */
export type LifecycleState = "starting" | "ready" | "draining" | "killing" | "exited";

/** Exits nobody asked for: they count towards giving up on the app and are restarted. */
export type FailureCause = "crashed" | "boot-failed" | "unresponsive";

/** Exits the supervisor asked for: the process is replaced (or not) on purpose. */
export type PlannedCause = Exclude<ExitReason, FailureCause>;

/** Why a transition happened: "booted" for becoming ready, else an exit reason. */
export type Cause = "booted" | ExitReason;

export const FAILURE_CAUSES: readonly FailureCause[] = ["crashed", "boot-failed", "unresponsive"];
export const PLANNED_CAUSES: readonly PlannedCause[] = [
  "reload", "replaced", "max-requests", "max-memory", "listener-dead", "ttl", "stop",
];

/**
 * Every legal transition and the causes it may carry. Nothing leaves
 * `exited`, and nothing returns to an earlier state, so a process makes at
 * most four transitions: its history stays short for as long as it lives.
 */
const ALLOWED: Record<LifecycleState, Partial<Record<LifecycleState, readonly Cause[]>>> = {
  starting: { ready: ["booted"], draining: PLANNED_CAUSES, killing: ["boot-failed"], exited: ["boot-failed"] },
  ready: { draining: PLANNED_CAUSES, killing: ["unresponsive"], exited: ["crashed"] },
  draining: { exited: PLANNED_CAUSES },
  killing: { exited: ["boot-failed", "unresponsive"] },
  exited: {},
};

export interface TransitionRecord {
  from: LifecycleState;
  to: LifecycleState;
  cause: Cause;
  /** Monotonic ms (clock.ts). */
  at: number;
}

export function isFailure(cause: Cause): cause is FailureCause {
  return (FAILURE_CAUSES as readonly Cause[]).includes(cause);
}

export function isPlanned(cause: Cause): cause is PlannedCause {
  return (PLANNED_CAUSES as readonly Cause[]).includes(cause);
}

export function canTransition(from: LifecycleState, to: LifecycleState, cause: Cause): boolean {
  return ALLOWED[from][to]?.includes(cause) ?? false;
}

/**
 * One process's place in the lifecycle. `transition` is the only way to
 * change it. An illegal transition throws (code LIFECYCLE_TRANSITION): it
 * means the pool's picture of a process is wrong, and going on with a wrong
 * picture leaks processes silently. Where a race makes a transition moot (a
 * drain asked of a process that has just exited) the pool checks `can`
 * first, so a throw is always a bug; the pool's unit tests walk the races.
 */
export class Lifecycle {
  private current: LifecycleState = "starting";
  readonly history: TransitionRecord[] = [];

  constructor(private readonly label: string, private readonly now: () => number = monotonicNow) {}

  get state(): LifecycleState {
    return this.current;
  }

  /** The cause of the last transition (undefined while starting). */
  get cause(): Cause | undefined {
    return this.history.at(-1)?.cause;
  }

  can(to: LifecycleState, cause: Cause): boolean {
    return canTransition(this.current, to, cause);
  }

  transition(to: LifecycleState, cause: Cause): TransitionRecord {
    if (!this.can(to, cause)) {
      throw new LskyError(
        "LIFECYCLE_TRANSITION",
        `Cannot move ${this.label} from "${this.current}" to "${to}" for "${cause}": not an allowed transition`,
      );
    }
    const record: TransitionRecord = { from: this.current, to, cause, at: this.now() };
    this.history.push(record);
    this.current = to;
    return record;
  }

  /**
   * What the process's exit, seen now, means: the planned cause it was
   * draining for (even if it crashed on the way out: it was leaving anyway),
   * the failure it was killed for, a boot failure before it was ready, or a
   * crash after.
   */
  exitCause(): ExitReason {
    switch (this.current) {
      case "starting":
        return "boot-failed";
      case "ready":
        return "crashed";
      case "draining":
      case "killing":
        return this.cause as ExitReason;
      case "exited":
        throw new LskyError("LIFECYCLE_TRANSITION", `Cannot exit ${this.label} twice`);
    }
  }
}
