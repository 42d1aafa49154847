import { sendControl } from "../../src/cli/control-client.ts";
import { DEFAULT_RESTART_POLICY } from "../../src/supervisor/restart-policy.ts";
import type { StatusReport, WorkerRow } from "../../src/supervisor/status.ts";
import { lskyCandidate } from "./candidates.ts";
import { LSKY_BUNDLE, type Engine } from "./paths.ts";
import { freePort, runToEnd } from "./processes.ts";
import { fetchFresh, waitForInstances, waitUntil } from "./probe.ts";
import { median } from "./stats.ts";
import { log } from "./suite.ts";

export interface ReplaceResult {
  engine: Engine;
  /** kill -9 until the status shows the replacement `ready`, ms, per repeat. */
  ready: number[];
  /** kill -9 until a request is answered by the replacement, ms, per repeat. */
  serving: number[];
  failure?: string;
}

const START_TIMEOUT_MS = 60_000;
const REPLACE_TIMEOUT_MS = 30_000;
// A slot whose worker lived this long counts its next crash as the first
// (restart delay = initialDelay); killing it sooner would measure backoff.
const STABLE_MS = DEFAULT_RESTART_POLICY.stablePeriod + 250;

/** `lsky status --json --port N`, as a user would run it. */
function statusFromCli(port: number): StatusReport {
  return JSON.parse(runToEnd(process.execPath, [LSKY_BUNDLE, "status", "--json", "--port", String(port)])) as StatusReport;
}

/**
 * The worker to kill: the longest-lived ready one. A slot that was already
 * restarted is only killed once its worker has been up for the stable period,
 * so every kill meets the first restart delay, never a grown backoff.
 */
async function pickVictim(port: number): Promise<WorkerRow> {
  return waitUntil("a ready worker past its restart backoff window", () => {
    const ready = statusFromCli(port).workers.filter((w) => w.state === "ready").sort((a, b) => b.uptime - a.uptime);
    const victim = ready[0];
    if (!victim) return undefined;
    return victim.restarts === 0 || victim.uptime >= STABLE_MS ? victim : undefined;
  }, STABLE_MS + REPLACE_TIMEOUT_MS, 250);
}

async function replaceOnce(port: number): Promise<{ ready: number; serving: number }> {
  const victim = await pickVictim(port);
  const before = new Set((await sendControl("status", port) as StatusReport).workers.map((w) => w.pid));
  const started = performance.now();
  process.kill(victim.pid, "SIGKILL");
  // The control socket directly (lsky's own client), not the CLI: starting a
  // process per poll would add its start-up time to the figure.
  const replacement = await waitUntil(`a replacement for worker pid ${victim.pid}`, async () => {
    const report = await sendControl("status", port) as StatusReport;
    return report.workers.find((w) => !before.has(w.pid) && w.state === "ready");
  }, REPLACE_TIMEOUT_MS, 5);
  const ready = performance.now() - started;
  // Fresh connections spread over the workers; wait until one reaches the new one.
  await waitUntil(`a response from the replacement (pid ${replacement.pid})`, async () => {
    const body = await fetchFresh(port, "/instance");
    return body?.startsWith(`${replacement.pid} `) ? true : undefined;
  }, REPLACE_TIMEOUT_MS, 1);
  return { ready, serving: performance.now() - started };
}

/** Measures kill -9 to replacement serving for `lsky --workers 2` on an engine. */
export async function measureReplacement(engine: Engine, repeats: number): Promise<ReplaceResult> {
  const result: ReplaceResult = { engine, ready: [], serving: [] };
  const candidate = lskyCandidate(engine, 2);
  const port = await freePort();
  const running = await candidate.start(port);
  try {
    await waitForInstances(port, 2, START_TIMEOUT_MS, running.died);
    for (let i = 1; i <= repeats; i++) {
      const figures = await replaceOnce(port);
      result.ready.push(figures.ready);
      result.serving.push(figures.serving);
      log(`replace ${engine} ${i}/${repeats}: ready after ${figures.ready.toFixed(0)} ms, serving after ${figures.serving.toFixed(0)} ms`);
    }
  } catch (error) {
    result.failure = (error as Error).message.split("\n")[0];
    log(`replace ${engine}: ${(error as Error).message}`);
  } finally {
    await running.stop();
  }
  return result;
}

export function replaceSummary(result: ReplaceResult): { ready: number; serving: number; min: number; max: number } {
  return {
    ready: median(result.ready),
    serving: median(result.serving),
    min: Math.min(...result.serving),
    max: Math.max(...result.serving),
  };
}
