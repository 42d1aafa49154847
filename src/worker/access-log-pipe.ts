import { Buffer } from "node:buffer";
import { writeSync } from "node:fs";
import { type AccessEntry, formatAccessJson, formatAccessText } from "../http/access-log/format.ts";
import { createBatchedWriter } from "../http/access-log/batched-writer.ts";
import { type LogFormat, workerLabel } from "../log.ts";
import { ACCESS_LOG_FD_ENV } from "../runtime/role-names.ts";

/**
 * Where a worker's access log goes. Given a pipe of its own by the supervisor
 * (ACCESS_LOG_FD_ENV), the worker writes each line as the supervisor would
 * print it (labelled in text, with the worker first in json), and the
 * supervisor passes the batches on whole. Through stdout, the supervisor
 * would split every batch into lines, label each and join them again: about
 * 6% of a core at 45,000 lines a second on Deno, on the core the worker
 * shares (docs/BENCHMARKS.md). Without the pipe (a worker started by hand),
 * lines go to stdout as before.
 *
 * Writes are synchronous, as a Node or Deno worker's stdout already is: a
 * worker whose supervisor reads slowly waits, for as long as the supervisor
 * holds its reading before it drops lines (supervisor/log-lines.ts), instead
 * of queueing without bound. The batch left at exit is written then.
 */
export function createAccessLogSink(format: LogFormat, worker: number, env: NodeJS.ProcessEnv = process.env): (entry: AccessEntry) => void {
  const fd = takeAccessLogFd(env);
  if (fd === undefined) return createBatchedWriter(format === "json" ? formatAccessJson : formatAccessText, (text) => void process.stdout.write(text));
  return createBatchedWriter(labelledFormat(format, worker), (text) => writeWhole(fd, text));
}

/** The pipe's descriptor, taken out of the environment so that the app's own children do not see it. */
export function takeAccessLogFd(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[ACCESS_LOG_FD_ENV];
  delete env[ACCESS_LOG_FD_ENV];
  const fd = Number(value);
  // 0 to 2 are the standard streams: never the pipe.
  return value !== undefined && Number.isInteger(fd) && fd > 2 ? fd : undefined;
}

/** A line as the supervisor prints a worker's line: "[w1] ..." in text, {"worker":1,...} in json. */
export function labelledFormat(format: LogFormat, worker: number): (entry: AccessEntry) => string {
  if (format === "json") {
    return ({ worker: slot, ...fields }) => JSON.stringify({ worker: slot, type: "access", ...fields });
  }
  const label = `${workerLabel(worker)} `;
  return (entry) => label + formatAccessText(entry);
}

function writeWhole(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  try {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
  } catch {
    // The supervisor is gone (EPIPE): the worker keeps serving until it notices.
  }
}
