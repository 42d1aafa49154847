import { isatty } from "node:tty";

/**
 * Worker output goes through a pipe; engines that colour their errors
 * regardless (Deno) are asked not to unless lsky itself writes to a terminal.
 */
export function workerColourEnv(): Record<string, string> {
  return isatty(2) ? {} : { NO_COLOR: "1" };
}
