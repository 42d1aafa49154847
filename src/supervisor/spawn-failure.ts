import { readFileSync } from "node:fs";
import { SpawnRefusedError } from "../runtime/spawn-worker.ts";

/**
 * Why the host refused to start a worker, in words an operator can act on.
 * Waits for the engine's reason when it comes a tick late (spawn-worker.ts).
 */
export async function describeSpawnFailure(error: unknown): Promise<string> {
  const cause = error instanceof SpawnRefusedError ? await error.reason : error;
  return explainSpawnError(cause, readOpenFilesLimit());
}

/** The explanation for an error code; pure, for the unit test. */
export function explainSpawnError(cause: unknown, openFilesLimit: number | undefined): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  switch (code) {
    case "EMFILE": {
      const limit = openFilesLimit === undefined ? "" : ` of ${openFilesLimit}`;
      return `too many open files (EMFILE): the supervisor reached its limit${limit} open descriptors; raise it (ulimit -n, or LimitNOFILE= under systemd)`;
    }
    case "ENFILE":
      return "too many open files in the system (ENFILE): the kernel's file table is full (sysctl fs.file-max)";
    case "EAGAIN":
      return "the host refused a new process (EAGAIN): too many processes for this user or cgroup (ulimit -u, pids.max)";
    case "ENOMEM":
      return "the host is out of memory (ENOMEM)";
    default:
      return code ? `${message} (${String(code)})` : message;
  }
}

/** The soft limit on open descriptors, from /proc (Linux); undefined elsewhere. */
export function readOpenFilesLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}
