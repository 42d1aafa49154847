import type { LifecycleState, PlannedCause } from "./lifecycle.ts";
import type { RestartPolicy } from "./restart-policy.ts";
import type { WorkerHandle } from "./worker-handle.ts";

/** How a kind's drain is asked for. */
export interface DrainRequest {
  cause: PlannedCause;
  /** A --watch reload: no drain delay, no quiet wait. */
  quick: boolean;
  /** The state it left: a worker still starting has nothing to drain yet. */
  from: LifecycleState;
}

/**
 * What differs between supervised processes. The pool and the lifecycle
 * (lifecycle.ts) are the same for every kind; a new kind (task workers,
 * the scheduler, custom processes, listeners) is one object of this shape
 * (docs/LIFECYCLE.md).
 */
export interface WorkerKind {
  /** Names the kind in logs ("http"). */
  readonly name: string;
  /** Starts a process for a slot; throws when the host refuses (no descriptors or processes). */
  launch(slot: number): WorkerHandle;
  /**
   * What "ready" means. "announced": the process says so over the bus once it
   * does its work (an HTTP worker once it listens). "started": as soon as it
   * runs (a process that never speaks to the bus).
   */
  readonly readiness: "announced" | "started";
  /** A process not ready this long after its launch is killed as a boot failure. */
  readonly bootTimeout: number;
  /**
   * True when processes of the kind share a port (SO_REUSEPORT or cluster):
   * a replacement then starts beside the old process, which drains once the
   * replacement is ready. False: the old one drains and exits first (one
   * process at a time, for a port of its own or a singleton duty).
   */
  readonly sharesPort: boolean;
  /** When to restart after a failure, and when to give up (restart-policy.ts). */
  readonly policy: RestartPolicy;
  /** Recycled this long after it became ready (0: never). Max requests and memory are judged by the process. */
  readonly ttl: number;
  /** A ready process silent this long is killed as unresponsive (0: never watched). */
  readonly heartbeatTimeout: number;
  /** Time a draining process gets before SIGKILL. */
  readonly drainDeadline: number;
  /** Asks the process to finish and exit. */
  drain(worker: WorkerHandle, request: DrainRequest): void;
}
