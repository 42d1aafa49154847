import type { LogFormat } from "./config/options.ts";

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

/**
 * How a line of a worker's output is relayed: prefixed with the worker's label
 * in text; in json, wrapped in an object naming the worker, or, when the line
 * already is a JSON object (an access log line), given the worker's name.
 */
export function workerLineFormatter(slot: number, stream: "stdout" | "stderr"): (line: string) => string {
  const label = `[w${slot}]`;
  return (line) => {
    if (format !== "json") return `${label} ${line}`;
    const parsed = parseObject(line);
    if (parsed) return JSON.stringify({ worker: slot, ...parsed });
    return JSON.stringify({ time: new Date().toISOString(), level: stream === "stderr" ? "warn" : "info", source: `w${slot}`, worker: slot, stream, msg: line });
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

export const logger: Logger = {
  info: (message, fields) => void process.stdout.write(formatLogLine("info", message, fields)),
  warn: (message, fields) => void process.stderr.write(formatLogLine("warn", message, fields)),
  error: (message, fields) => void process.stderr.write(formatLogLine("error", message, fields)),
};
