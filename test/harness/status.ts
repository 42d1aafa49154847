import type { Target } from "./targets.ts";
import { runLsky } from "./lsky.ts";

export interface StatusWorker {
  id: number;
  pid: number;
  state: string;
  requests: number;
  inflight: number;
  rss: number;
  restarts: number;
  lastExit: { reason: string; code: number | null; signal: string | null } | null;
}

export interface Status {
  pid: number;
  port: number;
  engine: string;
  workers: StatusWorker[];
}

/** `lsky status --json --port N`, parsed. */
export async function readStatus(target: Target, port: number): Promise<Status> {
  const result = await runLsky(target, ["status", "--json", "--port", String(port)]);
  if (result.code !== 0) throw new Error(`lsky status exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Status;
}

/** The pids of the workers in the ready state. */
export function readyPids(status: Status): number[] {
  return status.workers.filter((w) => w.state === "ready").map((w) => w.pid);
}
