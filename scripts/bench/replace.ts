import { sendControl } from "../../src/cli/control-client.ts";
import { DEFAULT_RESTART_POLICY } from "../../src/supervisor/restart-policy.ts";
import type { StatusReport, WorkerRow } from "../../src/supervisor/status.ts";
import { lskyCandidate } from "./candidates.ts";
import { LSKY_BUNDLE, type Engine } from "./paths.ts";
import { freePort, runToEnd } from "./processes.ts";
import { fetchFresh, waitForInstances, waitUntil } from "./probe.ts";
import { median } from "./stats.ts";
import { log, START_TIMEOUT_MS } from "./suite.ts";

export interface ReplaceResult {
  engine: Engine;
  /** kill -9 until the status shows the replacement `ready`, ms, per repeat. */
  ready: number[];
  /** kill -9 until a request is answered by the replacement, ms, per repeat. */
  serving: number[];
  /** Probes that failed (refused, reset, unanswered) while a worker was replaced. */
  failedProbes: number;
  failure?: string;
}

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

const PROBE_EVERY_MS = 3;
const MAX_PROBES_IN_FLIGHT = 16;

/**
 * Sends fresh-connection probes every few ms, several in flight at once (so
 * one connection that hangs does not hold up the clock), until one is
 * answered by a pid that was not there before: the replacement. Counts the
 * probes that failed meanwhile (refused, reset or unanswered).
 */
async function firstAnswerFromNewPid(port: number, before: Set<number>, started: number): Promise<{ ms: number; failed: number }> {
  const deadline = started + REPLACE_TIMEOUT_MS;
  let found: number | undefined;
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  while (found === undefined) {
    if (performance.now() > deadline) throw new Error(`No response from a new worker within ${REPLACE_TIMEOUT_MS} ms`);
    if (inflight.size < MAX_PROBES_IN_FLIGHT) {
      const probe: Promise<void> = fetchFresh(port, "/instance").then((body) => {
        const pid = pidOf(body);
        if (pid === undefined) failed++;
        else if (!before.has(pid)) found ??= performance.now() - started;
      }).finally(() => inflight.delete(probe));
      inflight.add(probe);
    }
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  // Let the probes still out finish, so their failures are counted and no
  // socket outlives the measurement.
  await Promise.all(inflight);
  return { ms: found, failed };
}

function pidOf(body: string | undefined): number | undefined {
  const pid = Number(body?.split(" ")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function replaceOnce(port: number): Promise<{ ready: number; serving: number; failedProbes: number }> {
  const victim = await pickVictim(port);
  const before = new Set((await sendControl("status", port) as StatusReport).workers.map((w) => w.pid));
  const started = performance.now();
  process.kill(victim.pid, "SIGKILL");
  // Both clocks run at once, so a slow status answer does not delay the
  // serving figure. Status goes through the control socket with lsky's own
  // client, not the CLI: starting a process per poll would add its start-up.
  const ready = waitUntil(`a ready replacement for worker pid ${victim.pid}`, async () => {
    const report = await sendControl("status", port) as StatusReport;
    return report.workers.some((w) => !before.has(w.pid) && w.state === "ready") ? performance.now() - started : undefined;
  }, REPLACE_TIMEOUT_MS, 2);
  const serving = firstAnswerFromNewPid(port, before, started);
  const [readyMs, probe] = await Promise.all([ready, serving]);
  return { ready: readyMs, serving: probe.ms, failedProbes: probe.failed };
}

/** Measures kill -9 to replacement serving for `lsky --workers 2` on an engine. */
export async function measureReplacement(engine: Engine, repeats: number): Promise<ReplaceResult> {
  const result: ReplaceResult = { engine, ready: [], serving: [], failedProbes: 0 };
  const candidate = lskyCandidate(engine, 2);
  const port = await freePort();
  const running = await candidate.start(port);
  try {
    await waitForInstances(port, 2, START_TIMEOUT_MS, running.died);
    for (let i = 1; i <= repeats; i++) {
      const figures = await replaceOnce(port);
      result.ready.push(figures.ready);
      result.serving.push(figures.serving);
      result.failedProbes += figures.failedProbes;
      log(`replace ${engine} ${i}/${repeats}: ready after ${figures.ready.toFixed(0)} ms, serving after ${figures.serving.toFixed(0)} ms, ${figures.failedProbes} failed probe(s)`);
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
