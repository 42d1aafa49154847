import type { Readable, Writable } from "node:stream";

/** Turns one line of a worker's output (without its newline) into the line lsky prints. */
export type LineFormatter = (line: string) => string;

/**
 * Copies a worker's output to the supervisor's, one whole line at a time with
 * the worker's label in front (or as the log format says), so lines from
 * different workers never interleave mid-line. A last line without a newline
 * is flushed at the end.
 */
export function pipeLines(source: Readable, target: Writable, label: string | LineFormatter): void {
  const format: LineFormatter = typeof label === "string" ? (line) => `${label} ${line}` : label;
  let pending = "";
  source.setEncoding("utf8");
  source.on("data", (chunk: string) => {
    pending += chunk;
    const lastNewline = pending.lastIndexOf("\n");
    if (lastNewline === -1) return;
    const complete = pending.slice(0, lastNewline);
    pending = pending.slice(lastNewline + 1);
    target.write(formatLines(complete, format));
  });
  source.on("end", () => {
    if (pending) target.write(formatLines(pending, format));
    pending = "";
  });
}

/** Prefixes every line of `text` (without its final newline) and ends it with one. */
export function prefixLines(text: string, label: string): string {
  return formatLines(text, (line) => `${label} ${line}`);
}

/** Formats every line of `text` (without its final newline) and ends each with a newline. */
export function formatLines(text: string, format: LineFormatter): string {
  return `${text.split("\n").map(format).join("\n")}\n`;
}
