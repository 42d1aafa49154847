import { isatty } from "node:tty";

/**
 * Worker output goes through a pipe; engines that colour their errors
 * regardless (Deno) are asked not to unless lsky itself writes to a terminal.
 * isatty(2), not process.stderr.isTTY: on Bun the first touch of the stream
 * builds Node's stream layer, 1 to 3 ms before the first worker starts.
 */
export function workerColourEnv(): Record<string, string> {
  return isatty(2) ? {} : { NO_COLOR: "1" };
}
