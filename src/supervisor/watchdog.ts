import type { Logger } from "../log.ts";
import type { RunningClock } from "../clock.ts";
import { judgeSilence, WATCHDOG_INTERVAL_MS } from "./heartbeat-judge.ts";
import { type KernelProgress, readKernelProgress } from "./process-io.ts";
import type { WorkerHandle } from "./worker-handle.ts";

export interface WatchdogOptions {
  /** Ready workers silent for this long (plus their recent lag) are looked at. */
  timeout: number;
  clock: RunningClock;
  log: Logger;
  /** The workers to watch: the ready ones serving a slot (one being killed is no longer ready). */
  workers(): WorkerHandle[];
  /** Counted for /metrics. */
  counters: { unresponsiveKills: number; busySpared: number };
  readProgress?: (pid: number) => KernelProgress | undefined;
}

/**
 * Kills workers that stopped sending heartbeats because their event loop is
 * stuck, and spares those that are merely slow: silence is measured on the
 * supervisor's running clock (its own pauses are not the workers' fault), a
 * worker that reported a late loop lately gets that much longer, and one
 * still making system calls is overloaded, not hung (heartbeat-judge.ts).
 * Returns the function that stops it.
 */
export function startWatchdog(options: WatchdogOptions): () => void {
  const readProgress = options.readProgress ?? readKernelProgress;
  const timer = setInterval(() => {
    const now = options.clock.now();
    for (const worker of options.workers()) {
      const progressNow = readProgress(worker.pid);
      const verdict = judgeSilence({
        silence: now - worker.lastSeen,
        recentLag: worker.recentLag.worst(),
        timeout: options.timeout,
        progressNow,
        progressBefore: worker.silentProgress,
      });
      if (verdict === "alive") continue;
      worker.silentProgress = progressNow;
      if (verdict === "busy") noteBusy(worker, now, options);
      if (verdict === "unresponsive") kill(worker, now, options);
    }
  }, WATCHDOG_INTERVAL_MS);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}

function noteBusy(worker: WorkerHandle, now: number, options: WatchdogOptions): void {
  if (worker.sparedSince !== undefined) return;
  worker.sparedSince = now;
  options.counters.busySpared++;
  options.log.warn(
    `worker ${worker.slot} (pid ${worker.pid}) sent no heartbeat for ${Math.round(now - worker.lastSeen)} ms but is still ` +
      "doing I/O: overloaded, not hung; it is left alone (up to three heartbeat timeouts)",
  );
}

function kill(worker: WorkerHandle, now: number, options: WatchdogOptions): void {
  options.log.warn(
    `worker ${worker.slot} (pid ${worker.pid}) sent no heartbeat for ${Math.round(now - worker.lastSeen)} ms of supervisor ` +
      `running time (worst recent event-loop lag ${Math.round(worker.recentLag.worst())} ms, ` +
      `${worker.sparedSince === undefined ? "no I/O meanwhile" : "still doing I/O"}); killing it as unresponsive`,
  );
  options.counters.unresponsiveKills++;
  worker.killFor("unresponsive");
}
