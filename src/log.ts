import { OutputQueue } from "./output-queue.ts";
import { stdWriter } from "./runtime/std-output.ts";

/**
 * The supervisor's and CLI's own output. Worker output is relayed line by line
 * (supervisor/log-lines.ts) through `workerLineFormatter`; every line lsky
 * prints follows the one format set by `--log-format`: text for people, or
 * one JSON object per line for log collectors.
 */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Extra facts for a line: JSON fields in json format; a hint is printed on its own line in text. */
export type LogFields = { hint?: string } & Record<string, unknown>;

export type LogLevel = "info" | "warn" | "error";

const PREFIX = "[lsky]";
const TEXT_LEVEL: Record<LogLevel, string> = { info: "", warn: "warning: ", error: "error: " };

export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

let format: LogFormat = "text";

export function setLogFormat(next: LogFormat): void {
  format = next;
}

export function logFormat(): LogFormat {
  return format;
}

/** One of lsky's own lines, with its newline. */
export function formatLogLine(level: LogLevel, message: string, fields: LogFields = {}): string {
  if (format === "json") {
    return `${JSON.stringify({ time: new Date().toISOString(), level, source: "lsky", pid: process.pid, msg: message, ...fields })}\n`;
  }
  const hint = fields.hint ? `${fields.hint}\n` : "";
  return `${PREFIX} ${TEXT_LEVEL[level]}${message}\n${hint}`;
}

/** "[w1]": what a worker's lines start with in text ("[t1]" for a task worker). */
export function workerLabel(slot: number, prefix = "w"): string {
  return `[${prefix}${slot}]`;
}

/**
 * How a line of a worker's output is relayed: prefixed with the worker's label
 * in text; in json, wrapped in an object naming the worker, or, when the line
 * already is a JSON object (an access log line), given the worker's name.
 */
export function workerLineFormatter(slot: number, stream: "stdout" | "stderr", prefix = "w"): (line: string) => string {
  const label = workerLabel(slot, prefix);
  return (line) => {
    if (format !== "json") return `${label} ${line}`;
    const parsed = parseObject(line);
    if (parsed) return JSON.stringify({ worker: slot, ...parsed });
    return JSON.stringify({ time: new Date().toISOString(), level: stream === "stderr" ? "warn" : "info", source: `${prefix}${slot}`, worker: slot, stream, msg: line });
  };
}

/**
 * How a line of a custom process's output is relayed: prefixed with its name
 * ("[mailer]", "[mailer#2]" for a second instance) in text; in json, as a
 * worker's line but naming the process.
 */
export function processLineFormatter(name: string, instance: number, stream: "stdout" | "stderr"): (line: string) => string {
  const source = instance === 1 ? name : `${name}#${instance}`;
  return (line) => {
    if (format !== "json") return `[${source}] ${line}`;
    const parsed = parseObject(line);
    if (parsed) return JSON.stringify({ process: name, instance, ...parsed });
    return JSON.stringify({ time: new Date().toISOString(), level: stream === "stderr" ? "warn" : "info", source, process: name, instance, stream, msg: line });
  };
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** Where lsky's lines go: the process streams, or the supervisor's bounded queues. */
export interface OutputTarget {
  write(text: string): void;
}

// The stream is looked up at the first write: on Bun the first touch of
// process.stdout or process.stderr builds Node's stream layer (1 to 3 ms),
// which a worker would otherwise pay before it serves.
const direct = (stream: () => NodeJS.WriteStream): OutputTarget => ({
  write: (text) => {
    try {
      stream().write(text);
    } catch {
      // A full or closed output must not turn a log line into a crash.
    }
  },
});

let out: OutputTarget = direct(() => process.stdout);
let err: OutputTarget = direct(() => process.stderr);
let queues: OutputQueue[] = [];

/**
 * The supervisor's stdout and stderr (its own lines and the workers' relayed
 * ones) go through bounded queues from here on: a slow or broken output
 * drops lines with a counted notice instead of blocking, growing or crashing
 * (src/output-queue.ts).
 */
export function useBoundedOutput(maxBytes: number): { stdout: OutputQueue; stderr: OutputQueue } {
  const notice = (count: number) =>
    formatLogLine("warn", `${count} log line${count === 1 ? "" : "s"} dropped: the output could not keep up`);
  const stdout = new OutputQueue({ write: stdWriter(1), maxBytes, notice });
  const stderr = new OutputQueue({ write: stdWriter(2), maxBytes, notice });
  out = stdout;
  err = stderr;
  queues = [stdout, stderr];
  return { stdout, stderr };
}

/** Lines dropped by the bounded output (for /metrics). */
export function droppedLogLines(): number {
  return queues.reduce((sum, queue) => sum + queue.droppedLines(), 0);
}

/** Waits (at most `timeoutMs`) for queued output to be written, before the process exits. */
export async function flushOutput(timeoutMs: number): Promise<void> {
  await Promise.all(queues.map((queue) => queue.flush(timeoutMs)));
}

export const logger: Logger = {
  info: (message, fields) => out.write(formatLogLine("info", message, fields)),
  warn: (message, fields) => err.write(formatLogLine("warn", message, fields)),
  error: (message, fields) => err.write(formatLogLine("error", message, fields)),
};
