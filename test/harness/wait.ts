import { exitedUnreaped } from "../../src/cli/wait-exit.ts";

/**
 * Waits for a condition by polling it, never for a guessed time. Fails with
 * the description and the last error once `timeoutMs` has passed (a safety net
 * against hangs, not a performance assertion).
 */
export async function waitFor<T>(
  description: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`Timed out waiting for ${description}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** True when the process with this pid no longer exists. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * True when the process has exited: gone, or a zombie not yet reaped whose
 * threads have all exited (exitedUnreaped, the rule `lsky stop` waits by). An
 * orphan is reaped by the host's init (PID 1), whose delay (measured up to
 * 1.6 s in a container) is not the exiting program's.
 */
export function processExited(pid: number): boolean {
  // Asked again last: it may have been reaped between the first two checks.
  return processGone(pid) || exitedUnreaped(pid) || processGone(pid);
}
