import { readdirSync } from "node:fs";
import { runLsky } from "./lsky.ts";
import type { Target } from "./targets.ts";
import { waitFor } from "./wait.ts";
import { processStat } from "../../src/proc-stat.ts";

/** What `lsky status --json` prints (kept loose: the tests assert the fields). */
export interface StatusJson {
  pid: number;
  version: string;
  engine: string;
  port: number;
  uptime: number;
  /** The supervisor's own memory (bytes); `collected` when it ran a full GC first (LSKY_STATUS_GC=1). */
  supervisor?: { rss: number; heapUsed: number; collected: boolean };
  workers: Array<{
    id: number;
    pid: number;
    state: string;
    uptime: number;
    requests: number;
    inflight: number;
    rss: number;
    restarts: number;
    /** The worker's WebSockets (open now, counters since it started). */
    websockets?: { open: number; messagesIn: number; messagesOut: number; overflows?: number; closesByCode: Record<string, number> };
    lastExit: { reason: string; code: number | null; signal: string | null } | null;
  }>;
}

export async function statusJson(target: Target, port: number): Promise<StatusJson> {
  const result = await runLsky(target, ["status", "--json", "--port", String(port)]);
  if (result.code !== 0) throw new Error(`lsky status exited ${result.code}: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as StatusJson;
}

/** Waits until `lsky status` satisfies `check`, returning that report. */
export function waitForStatus(
  target: Target,
  port: number,
  description: string,
  check: (status: StatusJson) => boolean,
  timeoutMs = 30_000,
): Promise<StatusJson> {
  return waitFor(description, async () => {
    const status = await statusJson(target, port);
    return check(status) ? status : undefined;
  }, timeoutMs, 100);
}

/** Every worker in the report is ready, and there are `count` of them. */
export function allReady(status: StatusJson, count: number): boolean {
  return status.workers.length === count && status.workers.every((w) => w.state === "ready");
}

/** The pids of the processes whose parent is `ppid` (from /proc), with their state letter. */
export function childrenOf(ppid: number): Array<{ pid: number; state: string; name: string }> {
  const found: Array<{ pid: number; state: string; name: string }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processStat(Number(entry));
    if (stat?.ppid === ppid) found.push({ pid: Number(entry), state: stat.state, name: stat.name });
  }
  return found;
}
