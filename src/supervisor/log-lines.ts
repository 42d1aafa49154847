import type { Readable, Writable } from "node:stream";

/**
 * Copies a worker's output to the supervisor's, one whole line at a time with
 * the worker's label in front, so lines from different workers never
 * interleave mid-line. A last line without a newline is flushed at the end.
 */
export function pipeLines(source: Readable, target: Writable, label: string): void {
  let pending = "";
  source.setEncoding("utf8");
  source.on("data", (chunk: string) => {
    pending += chunk;
    const lastNewline = pending.lastIndexOf("\n");
    if (lastNewline === -1) return;
    const complete = pending.slice(0, lastNewline);
    pending = pending.slice(lastNewline + 1);
    target.write(prefixLines(complete, label));
  });
  source.on("end", () => {
    if (pending) target.write(prefixLines(pending, label));
    pending = "";
  });
}

/** Prefixes every line of `text` (without its final newline) and ends it with one. */
export function prefixLines(text: string, label: string): string {
  return `${label} ${text.split("\n").join(`\n${label} `)}\n`;
}
