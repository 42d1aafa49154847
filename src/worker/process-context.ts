import type { LskyBus } from "../bus/app-api.ts";
import type { Cache, StoreGlobal } from "../store/app-api.ts";
import type { Tasks } from "../tasks/app-api.ts";

/**
 * What a custom module process's start(ctx) and stop(ctx) receive
 * (docs/PROCESSES.md). Built in one place, createProcessContext, so that
 * other facilities (tables, tasks) are added to it there.
 */
export interface ProcessContext {
  /** The process's name in the config ("mailer"). */
  readonly name: string;
  /** Which instance this is, from 1 to `instances`. */
  readonly instance: number;
  /** The message bus shared with the HTTP workers (docs/BUS.md). */
  readonly bus: LskyBus;
  /** Aborted when the process is asked to stop: a loop in start() can watch it. */
  readonly signal: AbortSignal;
  /** Runs or queues the app's tasks on task workers (docs/TASKS.md). */
  readonly tasks: Tasks;
  /** A shared table declared in lsky.config.ts (docs/TABLES.md). */
  readonly table: StoreGlobal["table"];
  /** The cache every process of the server shares (docs/TABLES.md). */
  readonly cache: Cache;
}

/** The default export of a custom module process. */
export interface CustomProcess {
  /** Starts the work; the process counts as ready once it returns (or its promise resolves). */
  start(ctx: ProcessContext): unknown;
  /** Finishes the work; bounded by the process's stopTimeout. */
  stop?(ctx: ProcessContext): unknown;
  /** Called on a reload when the process's reload mode is "signal". */
  reload?(ctx: ProcessContext): unknown;
}

export function createProcessContext(options: Omit<ProcessContext, never>): ProcessContext {
  const { name, instance, bus, signal, tasks, table, cache } = options;
  return { name, instance, bus, signal, tasks, table, cache };
}
