import { write } from "node:fs";
import { currentEngine } from "./detect.ts";

/** Writes all of `bytes` to the stream; resolves once the kernel took them, rejects with the write's error. */
export type RawWrite = (bytes: Uint8Array) => Promise<void>;

/**
 * A write to stdout or stderr that never blocks the event loop, whatever the
 * descriptor is (measured, a pipe nobody reads):
 * - Node: process.stdout is a non-blocking libuv stream; the callback says when it was taken.
 * - Bun: process.stdout.write reports no queued bytes (writableLength stays 0),
 *   so the queue could not be bounded; fs.write waits in Bun's thread pool instead.
 * - Deno: process.stdout.write and fs.write block the whole process on a full
 *   pipe; Deno.stdout.write is asynchronous.
 */
export function stdWriter(fd: 1 | 2): RawWrite {
  switch (currentEngine()) {
    case "node":
      return nodeStreamWriter(fd === 1 ? process.stdout : process.stderr);
    case "deno":
      return denoWriter(fd);
    case "bun":
      return fdWriter(fd);
  }
}

function nodeStreamWriter(stream: NodeJS.WriteStream): RawWrite {
  stream.on("error", () => {}); // reported to the write's callback as well
  return (bytes) => new Promise((resolve, reject) => {
    stream.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

// Bun makes a piped stdout non-blocking (seen: EAGAIN from fs.write on a
// full pipe), so a full pipe is polled at this pace instead of waited on.
const RETRY_MIN_MS = 5;
const RETRY_MAX_MS = 200;

function fdWriter(fd: number): RawWrite {
  const writeOnce = (bytes: Uint8Array, offset: number) => new Promise<number>((resolve, reject) => {
    write(fd, bytes, offset, bytes.length - offset, null, (error, written) => (error ? reject(error) : resolve(written)));
  });
  return async (bytes) => {
    let pause = RETRY_MIN_MS;
    for (let offset = 0; offset < bytes.length;) {
      try {
        offset += await writeOnce(bytes, offset);
        pause = RETRY_MIN_MS;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, RETRY_MAX_MS);
      }
    }
  };
}

function denoWriter(fd: 1 | 2): RawWrite {
  const deno = (globalThis as unknown as { Deno: Record<"stdout" | "stderr", { write(p: Uint8Array): Promise<number> }> }).Deno;
  const stream = fd === 1 ? deno.stdout : deno.stderr;
  return async (bytes) => {
    for (let offset = 0; offset < bytes.length;) offset += await stream.write(bytes.subarray(offset));
  };
}

/**
 * For a worker, whose output is a pipe to the supervisor: a write error
 * (EPIPE once the supervisor is gone, ENOSPC) is dropped instead of becoming
 * an uncaught exception that kills a worker still serving (measured: Node and
 * Bun die of an unhandled EPIPE on process.stdout).
 */
export function ignoreOutputErrors(): void {
  if (outputErrorsIgnored) return;
  outputErrorsIgnored = true;
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
}

let outputErrorsIgnored = false;
