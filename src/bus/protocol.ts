import type { ServeSettings } from "../config/options.ts";

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
  | "ttl"
  | "reload"
  | "stop";

export interface WorkerStats {
  requests: number;
  inflight: number;
  rss: number;
}

export type WorkerMessage =
  | { type: "hello"; slot: number; pid: number }
  | { type: "ready"; port: number }
  | { type: "boot-failed"; exitCode: number; message: string; detail: string }
  | ({ type: "stats" } & WorkerStats)
  | { type: "recycle"; reason: "max-requests" | "max-memory" }
  | { type: "publish"; topic: string; data: unknown; to: number | "*" }
  | { type: "request"; id: number; topic: string; data: unknown }
  | { type: "reply"; id: number; data?: unknown; error?: string };

export type SupervisorMessage =
  /**
   * Finish and exit. `handover`: a replacement is already serving, so the
   * worker keeps its listener open (answering `Connection: close`) until no
   * request arrived for a while before it closes it.
   */
  | { type: "drain"; handover?: boolean }
  | { type: "stats-request" }
  | { type: "deliver"; topic: string; data: unknown; from: number | "supervisor" }
  | { type: "request"; id: number; topic: string; data: unknown; from: number | "supervisor" }
  | { type: "reply"; id: number; data?: unknown; error?: string };

/**
 * How a worker is told what to do: one JSON document in its environment. It
 * carries the supervisor's resolved settings whole, so a new setting reaches
 * the workers without touching this contract.
 */
export interface WorkerSpec {
  slot: number;
  entry?: string;
  /** The port actually claimed (settings.port may be 0). */
  port: number;
  busPath: string;
  settings: ServeSettings;
}

export const WORKER_SPEC_ENV = "LSKY_WORKER_SPEC";
export const HEARTBEAT_MS = 1000;
