import { Cron } from "croner";
import { LskyError } from "../errors.ts";
import type { JobSpec } from "./job-spec.ts";

export type { JobSpec };

/** The shortest `every`: below it a tick would cost more than the job. */
export const MIN_EVERY_MS = 10;
/** The longest `every`; setTimeout cannot wait longer than 2^31-1 ms anyway. */
export const MAX_EVERY_MS = 24 * 3_600_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `"250ms"`, `"1.5s"`, `"5m"`, `"1h"`, or a number of ms, into ms from 10 ms to 24 h. */
export function parseEvery(value: unknown): number {
  let ms: number;
  if (typeof value === "number") ms = value;
  else {
    const match = typeof value === "string" ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value) : null;
    if (!match) throw new RangeError(`expected a duration such as "250ms", "5s", "10m" or "1h", got ${JSON.stringify(value)}`);
    ms = Number(match[1]) * UNITS[match[2]!]!;
  }
  if (!Number.isFinite(ms) || ms < MIN_EVERY_MS || ms > MAX_EVERY_MS) {
    throw new RangeError(`expected an interval from ${MIN_EVERY_MS} ms to 24 h, got ${JSON.stringify(value)}`);
  }
  return Math.round(ms);
}

/** A cron pattern with 5 fields, or 6 with seconds first; throws a RangeError naming what is wrong. */
export function parseCron(pattern: unknown, timezone?: string): Cron {
  if (typeof pattern !== "string") throw new RangeError(`expected a cron pattern string, got ${JSON.stringify(pattern)}`);
  try {
    const cron = new Cron(pattern, { mode: "5-or-6-parts", timezone, paused: true });
    // A bad time zone only shows when a date is computed.
    cron.nextRun();
    return cron;
  } catch (error) {
    throw new RangeError(`cannot read cron pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

/**
 * Reads the app's `schedule` export into job specs. A mistake is a boot
 * failure naming the job, so a typo never leaves a job silently not running.
 */
export function readSchedule(schedule: unknown): { specs: JobSpec[]; runners: Map<string, (ctx: never) => unknown> } {
  const specs: JobSpec[] = [];
  const runners = new Map<string, (ctx: never) => unknown>();
  if (schedule === undefined || schedule === null) return { specs, runners };
  if (!Array.isArray(schedule)) throw invalid("the app's `schedule` export must be an array of jobs");
  schedule.forEach((job: Record<string, unknown> | null, index) => {
    const label = typeof job?.name === "string" && job.name ? `"${job.name}"` : `#${index + 1}`;
    try {
      specs.push(readJob(job));
    } catch (error) {
      throw invalid(`scheduled job ${label}: ${(error as Error).message}`);
    }
    const name = specs[specs.length - 1]!.name;
    if (runners.has(name)) throw invalid(`two scheduled jobs are named "${name}"`);
    runners.set(name, (job as { run: (ctx: never) => unknown }).run.bind(job));
  });
  return { specs, runners };
}

function readJob(job: Record<string, unknown> | null): JobSpec {
  if (typeof job !== "object" || job === null) throw new TypeError("expected an object { name, every | cron, run }");
  const { name, every, cron, timezone, overlap, timeout, run } = job;
  if (typeof name !== "string" || !/^[\w.:-]{1,64}$/.test(name)) {
    throw new TypeError("`name` must be 1 to 64 letters, digits, or . _ : -");
  }
  if (typeof run !== "function") throw new TypeError("`run` must be a function");
  if ((every === undefined) === (cron === undefined)) throw new TypeError("give exactly one of `every` and `cron`");
  if (timezone !== undefined && typeof timezone !== "string") throw new TypeError("`timezone` must be a string");
  if (overlap !== undefined && typeof overlap !== "boolean") throw new TypeError("`overlap` must be true or false");
  const spec: JobSpec = { name, overlap: overlap === true };
  if (timeout !== undefined) spec.timeout = parseEvery(timeout);
  if (every !== undefined) spec.every = parseEvery(every);
  else {
    parseCron(cron, timezone);
    spec.cron = cron as string;
    if (timezone) spec.timezone = timezone;
  }
  return spec;
}

function invalid(message: string): LskyError {
  return new LskyError("INVALID_SCHEDULE", `Invalid schedule: ${message}`, {
    hint: "See docs/SCHEDULE.md for the shape of a scheduled job",
  });
}

/** How status shows a job's timing: "every 250ms", "cron 0 0 * * *". */
export function describeTiming(spec: JobSpec): string {
  if (spec.every !== undefined) return `every ${formatMs(spec.every)}`;
  return `cron ${spec.cron}${spec.timezone ? ` (${spec.timezone})` : ""}`;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** True when two specs time a job the same way (a reload that changed nothing keeps the job's clock). */
export function sameTiming(a: JobSpec, b: JobSpec): boolean {
  return a.every === b.every && a.cron === b.cron && a.timezone === b.timezone;
}
