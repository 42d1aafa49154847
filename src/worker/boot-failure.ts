import type { BusClient } from "./bus-client.ts";
import { isLskyError } from "../errors.ts";

/** Tells the supervisor why the boot failed (shown once, by it), then exits with the error's status. */
export async function reportBootFailure(bus: BusClient, error: unknown): Promise<void> {
  const exitCode = isLskyError(error) ? error.exitCode : 1;
  const message = error instanceof Error ? error.message : String(error);
  const detail = describeCause(error);
  await bus.sendFinal({ type: "boot-failed", exitCode, message, detail });
  process.exit(exitCode);
}

function describeCause(error: unknown): string {
  const cause = isLskyError(error) ? error.cause : error;
  if (isLskyError(error) && error.hint) return `hint: ${error.hint}`;
  if (cause instanceof Error) return cause.stack ?? cause.message;
  return cause === undefined ? "" : String(cause);
}
