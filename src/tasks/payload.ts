import { LskyError } from "../errors.ts";
import type { TaskFailure, TaskSpec } from "./messages.ts";
import type { TaskOptions } from "./app-api.ts";

/**
 * Payloads and results travel as JSON text: what JSON.stringify keeps
 * (objects, arrays, strings, numbers, booleans, null; Dates become strings,
 * `undefined` fields vanish). A BigInt, a cycle or text over the limit is
 * refused with TASK_INVALID before anything is sent.
 */
export function encodeJson(value: unknown, limit: number, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new LskyError("TASK_INVALID", `The ${what} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  text ??= "null";
  // Length in UTF-16 units is at most the UTF-8 byte count times one; check bytes only when close.
  const bytes = text.length * 3 <= limit ? text.length : new TextEncoder().encode(text).length;
  if (bytes > limit) {
    throw new LskyError("TASK_INVALID", `The ${what} is ${bytes} bytes of JSON, over the limit of ${limit}`, { hint: "Raise --task-payload-limit, or pass a reference (a key, a path) instead of the data" });
  }
  return text;
}

export function decodeJson(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}

/** Reads `delay` and `timeout` ("2s", 500) and `tries`; a bad option is a TASK_INVALID thrown to the caller. */
export function readTaskOptions(options: TaskOptions = {}): TaskSpec {
  const tries = options.tries ?? 1;
  if (!Number.isInteger(tries) || tries < 1 || tries > 100) throw new LskyError("TASK_INVALID", `tries must be a whole number from 1 to 100, not ${String(options.tries)}`);
  const spec: TaskSpec = { delay: readMs(options.delay, "delay"), tries, timeout: readMs(options.timeout, "timeout") };
  if (options.durable !== undefined) {
    if (typeof options.durable !== "boolean") throw new LskyError("TASK_INVALID", `durable must be true or false, not ${JSON.stringify(options.durable)}`);
    spec.durable = options.durable;
  }
  return spec;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function readMs(value: number | string | undefined, name: string): number {
  if (value === undefined) return 0;
  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim()) : null;
  const ms = typeof value === "number" ? value : match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > 86_400_000) throw new LskyError("TASK_INVALID", `${name} must be a number of ms or a duration such as "2s" (at most 24h), not ${JSON.stringify(value)}`);
  return Math.round(ms);
}

/** The error a task's caller gets: an LskyError with the code, the handler's error as cause. */
export function taskError(failure: TaskFailure): LskyError {
  let cause: Error | undefined;
  if (failure.cause) {
    cause = new Error(failure.cause.message);
    cause.name = failure.cause.name;
    if (failure.cause.stack) cause.stack = failure.cause.stack;
  }
  return new LskyError(failure.code, failure.message, { cause });
}
