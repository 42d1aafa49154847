import type { Readable } from "node:stream";

/** Where relayed lines go: a stream, or a bounded output queue that drops and counts. */
export interface LineTarget {
  write(text: string): unknown;
  /** True when the relay should stop reading for a while (see OutputQueue). */
  pressed?(): boolean;
  whenRelieved?(holdMs: number): Promise<void>;
}

// How long a worker's output may wait for a slow supervisor output before
// lines are dropped instead: the worker's own writes block meanwhile (Node
// and Deno write to a pipe synchronously), well under the heartbeat timeout.
export const RELAY_HOLD_MS = 1000;

// A worker that writes this much without a newline has its text relayed as
// a line anyway: the relay holds at most this much of a worker's partial line.
export const MAX_PARTIAL_LINE = 1024 * 1024;

/** Turns one line of a worker's output (without its newline) into the line lsky prints. */
export type LineFormatter = (line: string) => string;

/**
 * Copies a worker's output to the supervisor's, one whole line at a time with
 * the worker's label in front (or as the log format says), so lines from
 * different workers never interleave mid-line. A last line without a newline
 * is flushed at the end. A slow target holds the reading for at most
 * RELAY_HOLD_MS; a worker blocked longer on its own output would stop
 * serving, so a target that stays slow drops lines instead
 * (src/output-queue.ts). Resolves once the source ended.
 */
export function pipeLines(source: Readable, target: LineTarget, label: string | LineFormatter): Promise<void> {
  const format: LineFormatter = typeof label === "string" ? (line) => `${label} ${line}` : label;
  let pending = "";
  source.setEncoding("utf8");
  source.on("error", () => {});
  const holdIfPressed = () => {
    if (!target.pressed?.()) return;
    source.pause();
    void target.whenRelieved!(RELAY_HOLD_MS).then(() => source.resume());
  };
  source.on("data", (chunk: string) => {
    pending += chunk;
    const lastNewline = pending.lastIndexOf("\n");
    if (lastNewline === -1) {
      if (pending.length > MAX_PARTIAL_LINE) {
        target.write(formatLines(pending, format));
        pending = "";
      }
      return;
    }
    const complete = pending.slice(0, lastNewline);
    pending = pending.slice(lastNewline + 1);
    target.write(formatLines(complete, format));
    holdIfPressed();
  });
  return new Promise((resolve) => {
    const finish = () => {
      if (pending) target.write(formatLines(pending, format));
      pending = "";
      resolve();
    };
    source.once("end", finish);
    // A destroyed pipe (error) may close without "end".
    source.once("close", finish);
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
