import type { TaskFailure } from "./messages.ts";

/** How one attempt of a durable task ended: its result, its error, or `lost` (the server stopped first). */
export type DurableOutcome = { result?: string; error?: TaskFailure; lost?: true };
export type DurableEnd = (outcome: DurableOutcome) => void;

/** A durable task claimed from Redis, to run once here (docs/TASKS.md, "Durable tasks"). */
export interface DurableAttempt {
  id: string;
  name: string;
  payload: string;
  /** This attempt's number (ctx.attempt): every claim counts, a takeover included. */
  attempt: number;
  tries: number;
  timeout: number;
}

/** What status and /metrics show of the durable tasks: this node's counters, the queue's lengths as last seen. */
export interface DurableCounters {
  /** Dispatches this node put on Redis. */
  dispatched: number;
  /** Jobs this node's task workers took from Redis (a retry or a takeover is a claim again). */
  claimed: number;
  done: number;
  /** Jobs that failed their last try here. */
  failed: number;
  retried: number;
  /** Jobs past their deadline this node's reaper put back in line (their node died or stalled). */
  returned: number;
  /** Jobs this node gave back unfinished at stop. */
  givenBack: number;
  /** Running here now. */
  running: number;
  /** The cluster's queue, as this node's reaper last saw it (every second): waiting, claimed, waiting for a delay or backoff. */
  ready: number;
  active: number;
  delayed: number;
}
