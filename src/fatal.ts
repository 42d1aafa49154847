import { LskyError } from "./errors.ts";
import { logger } from "./log.ts";

/** The exit status a fatal error asks for: its own `exitStatus`, an LskyError's code's, else 1. */
export function exitStatusOf(error: unknown): number {
  const status = (error as { exitStatus?: number }).exitStatus;
  if (typeof status === "number") return status;
  return error instanceof LskyError ? error.exitCode : 1;
}

/** Prints an error that ends the process: one line and its hint for an LskyError, the stack for anything else. */
export function printFatal(error: unknown): void {
  if (error instanceof LskyError) {
    logger.error(error.message, error.hint ? { hint: error.hint } : undefined);
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
