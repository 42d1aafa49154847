/**
 * Worker output goes through a pipe; engines that colour their errors
 * regardless (Deno) are asked not to unless lsky itself writes to a terminal.
 */
export function workerColourEnv(): Record<string, string> {
  return process.stderr.isTTY ? {} : { NO_COLOR: "1" };
}
