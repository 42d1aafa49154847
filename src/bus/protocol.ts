import type { ServeSettings } from "../config/options.ts";
import type { RequestMetrics } from "../metrics/request-metrics.ts";

/**
 * Messages between a worker and its supervisor, as tagged unions dispatched
 * through a table on each side (as Node's cluster internals do).
 */

export type ExitReason =
  | "crashed"
  | "boot-failed"
  | "unresponsive"
  | "max-requests"
  | "max-memory"
  | "listener-dead"
  | "ttl"
  | "reload"
  | "replaced"
  | "stop";

/**
 * Why a worker asks to be replaced. "listener-dead": its listener stopped
 * accepting while connections queued on it (src/worker/listener-check.ts).
 */
export type RecycleReason = "max-requests" | "max-memory" | "listener-dead";

export interface WorkerStats {
  requests: number;
  inflight: number;
  rss: number;
  /** The worker's WebSockets: open now, and counters since it started. */
  websockets?: WorkerSocketStats;
  /** The app's TCP/UDP listeners this worker serves (docs/LISTENERS.md). */
  listeners?: import("../config/listener-options.ts").ListenerStats[];
  /** --leak-check: the heap's growth after GC, in bytes per request (absent before two samples). */
  heapSlope?: number;
}

export type WorkerSocketStats = import("../websocket/stats.ts").SocketStats & { open: number };

export type WorkerMessage =
  | { type: "hello"; slot: number; pid: number }
  /** `appMetrics`: the app exports a metrics registry (prom-client's), so /metrics asks for it. */
  | { type: "ready"; port: number; appMetrics?: boolean }
  | { type: "boot-failed"; exitCode: number; message: string; detail: string }
  /** `lag`: the worst event-loop delay (ms) since the last stats, which the watchdog allows for. */
  /** `appMetrics`: the app registry's getMetricsAsJSON(), when the supervisor asked for it (and in the last stats). */
  | ({ type: "stats"; metrics?: RequestMetrics; lag?: number; appMetrics?: unknown[] } & WorkerStats)
  | { type: "recycle"; reason: RecycleReason }
  | ScheduleWorkerMessage
  | import("../tasks/messages.ts").TaskWorkerMessage
  | import("../store/protocol.ts").StoreBatch
  | BusWorkerMessage;

export type SupervisorMessage =
  /**
   * Finish and exit. `handover`: a replacement is already serving, so the
   * worker keeps its listener open (answering `Connection: close`) until no
   * request arrived for a while before it closes it. `quick` (a --watch
   * reload): close the listener at once, with no drain delay.
   */
  | { type: "drain"; handover?: boolean; quick?: boolean }
  /** `appMetrics`: include the app's own metrics (a /metrics scrape). */
  | { type: "stats-request"; appMetrics?: boolean }
  /** Run scheduled job `name` once (docs/SCHEDULE.md); answered by "schedule-done" with the same id. */
  | { type: "schedule-run"; id: number; name: string; scheduledAt: number; cluster?: { node: string; fence: number } }
  /** The run passed its job's timeout: abort its signal (the supervisor already counted it failed). */
  | { type: "schedule-abort"; id: number; reason: string }
  | import("../tasks/messages.ts").TaskSupervisorMessage
  | import("../store/protocol.ts").StoreReply
  | BusSupervisorMessage;

/**
 * The scheduler's messages from a worker: its jobs, sent before "ready" (the
 * supervisor never loads the app), and the end of each run it was given.
 */
export type ScheduleWorkerMessage =
  | { type: "schedule"; jobs: import("../scheduler/job-spec.ts").JobSpec[] }
  /** `error`: what the job threw, absent when it succeeded. */
  | { type: "schedule-done"; id: number; ms: number; error?: string };

/**
 * The message bus (docs/BUS.md). Workers are addressed by their slot id (1..N),
 * which a replacement inherits; the supervisor by "supervisor". Request ids
 * are chosen by whoever sends the request and echoed in its reply; the
 * supervisor renumbers requests it forwards, so ids never clash between workers.
 */
export type BusWorkerMessage =
  /** To one worker, or to every ready worker (the sender included) with "*". */
  | { type: "publish"; topic: string; data?: unknown; to: number | "*" }
  | { type: "request"; id: number; topic: string; data?: unknown; to: BusAddress; timeout: number }
  | { type: "reply"; id: number; data?: unknown; error?: BusFailure };

export type BusSupervisorMessage =
  | { type: "deliver"; topic: string; data?: unknown; from: BusAddress }
  | { type: "request"; id: number; topic: string; data?: unknown; from: BusAddress }
  | { type: "reply"; id: number; data?: unknown; error?: BusFailure }
  /** The ids of the ready workers, sent whenever the set changes. */
  | { type: "workers"; ids: number[] };

export type BusAddress = number | "supervisor";

export type BusErrorCode =
  | "BUS_NO_WORKER"
  | "BUS_WORKER_GONE"
  | "BUS_TIMEOUT"
  | "BUS_NO_HANDLER"
  | "BUS_HANDLER_FAILED"
  | "BUS_DISCONNECTED"
  | "BUS_QUEUE_FULL";

/** Why a request failed, as carried in a reply. */
export interface BusFailure {
  code: BusErrorCode;
  message: string;
}

/** A request with no timeout option fails after this long. */
export const BUS_DEFAULT_TIMEOUT_MS = 5000;
/** The largest encoded bus message a worker sends, in bytes of JSON. */
export const BUS_MAX_MESSAGE_BYTES = 1_048_576;

/**
 * How a worker is told what to do: one JSON document in its environment. It
 * carries the supervisor's resolved settings whole, so a new setting reaches
 * the workers without touching this contract.
 */
export interface WorkerSpec {
  slot: number;
  /** "task": a task worker (loads the app, runs its tasks, never listens). Absent: an HTTP worker. */
  role?: "task";
  entry?: string;
  /**
   * On Node, the supervisor's bundle of a TypeScript entry, made once per
   * start and reload for every worker (supervisor/app-bundle.ts). Absent:
   * the worker bundles the entry itself.
   */
  appBundle?: string;
  /** The port actually claimed (settings.port may be 0). */
  port: number;
  busPath: string;
  settings: ServeSettings;
}

export const WORKER_SPEC_ENV = "LSKY_WORKER_SPEC";

/** How a custom module process is told what to run (docs/PROCESSES.md): JSON in its environment. */
export interface ProcessRoleSpec {
  /** The process's name in the config ("mailer"). */
  name: string;
  slot: number;
  /** Absolute path of the module whose default export is { start(ctx), stop?(ctx) }. */
  module: string;
  busPath: string;
  /** How long stop(ctx) may take before the process exits anyway. */
  stopTimeout: number;
  logFormat: ServeSettings["logFormat"];
  /** The largest task payload `ctx.tasks` sends (--task-payload-limit). */
  taskPayloadLimit: number;
}

export const PROCESS_SPEC_ENV = "LSKY_PROCESS_SPEC";
export const HEARTBEAT_MS = 1000;
