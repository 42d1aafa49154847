import { Buffer } from "node:buffer";
import type { Readable } from "node:stream";

/** Whether a relay's target wants it to stop reading for a while (see OutputQueue). */
interface Pressure {
  pressed?(): boolean;
  whenRelieved?(holdMs: number): Promise<void>;
}

/** Where relayed lines go: a stream, or a bounded output queue that drops and counts. */
export interface LineTarget extends Pressure {
  write(text: string): unknown;
}

/** Where lines already in their final form go, as bytes (passLines). */
export interface ByteLineTarget extends Pressure {
  writeBytes(bytes: Uint8Array): unknown;
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
  const holdIfPressed = holdWhilePressed(source, target);
  return relayUntilEnd(source, (chunk: string) => {
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
  }, () => {
    if (pending) target.write(formatLines(pending, format));
    pending = "";
  });
}

/**
 * Relays lines a worker wrote in their final form (its access log, on a pipe
 * of their own: worker/access-log-pipe.ts) as the bytes they came as, whole
 * lines at a time: no decoding, splitting or labelling. As pipeLines, a slow
 * target holds the reading, and a last line without a newline is ended.
 */
export function passLines(source: Readable, target: ByteLineTarget): Promise<void> {
  let partial: Buffer | undefined;
  const holdIfPressed = holdWhilePressed(source, target);
  return relayUntilEnd(source, (chunk: Buffer) => {
    const data = partial ? Buffer.concat([partial, chunk]) : chunk;
    const lastNewline = data.lastIndexOf(NEWLINE);
    if (lastNewline === -1 && data.length <= MAX_PARTIAL_LINE) {
      partial = data;
      return;
    }
    const end = lastNewline === -1 ? data.length : lastNewline + 1;
    partial = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
    target.writeBytes(lastNewline === -1 ? Buffer.concat([data, NEWLINE_BYTES]) : data.subarray(0, end));
    holdIfPressed();
  }, () => {
    if (partial) target.writeBytes(Buffer.concat([partial, NEWLINE_BYTES]));
    partial = undefined;
  });
}

/**
 * Feeds the source's chunks to `onChunk` and, once it ends, calls `flush` for
 * the last partial line; resolves then. A read error ends the relay quietly:
 * the worker's exit is reported on its own.
 */
function relayUntilEnd<T>(source: Readable, onChunk: (chunk: T) => void, flush: () => void): Promise<void> {
  source.on("error", () => {});
  source.on("data", onChunk);
  return new Promise((resolve) => {
    const finish = () => {
      flush();
      resolve();
    };
    source.once("end", finish);
    // A destroyed pipe (error) may close without "end".
    source.once("close", finish);
  });
}

const NEWLINE = 0x0a;
const NEWLINE_BYTES = Buffer.from("\n");

/** Pauses the source while the target is pressed, for at most RELAY_HOLD_MS. */
function holdWhilePressed(source: Readable, target: Pressure): () => void {
  return () => {
    if (!target.pressed?.()) return;
    source.pause();
    void target.whenRelieved!(RELAY_HOLD_MS).then(() => source.resume());
  };
}

/** Prefixes every line of `text` (without its final newline) and ends it with one. */
export function prefixLines(text: string, label: string): string {
  return formatLines(text, (line) => `${label} ${line}`);
}

/** Formats every line of `text` (without its final newline) and ends each with a newline. */
export function formatLines(text: string, format: LineFormatter): string {
  return `${text.split("\n").map(format).join("\n")}\n`;
}
