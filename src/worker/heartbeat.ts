import { HEARTBEAT_MS } from "../bus/protocol.ts";
import { formatLogLine } from "../log.ts";
import { watchDescriptorPressure } from "./descriptor-pressure.ts";
import type { RequestCounters } from "./handler.ts";
import { createListenerCheck, LISTENER_CHECK_MS } from "./listener-check.ts";
import type { StatsReporter } from "./stats-reporter.ts";
import { askRecycle, type WorkerState } from "./worker-state.ts";

/**
 * Once the worker is ready: stats to the supervisor every heartbeat, a
 * recycle past --max-memory, and a watch on descriptors and on the listener.
 */
export function startHeartbeat(state: WorkerState, reporter: StatsReporter, port: number): void {
  const { settings } = state.spec;
  const descriptors = watchDescriptorPressure((line) => process.stderr.write(formatLogLine("warn", line)));
  const heartbeat = setInterval(() => {
    descriptors.check();
    state.bus?.send(reporter.stats());
    if (settings.maxMemory > 0 && reporter.readRss() > settings.maxMemory * 1_048_576) askRecycle(state, "max-memory");
  }, HEARTBEAT_MS);
  heartbeat.unref?.();
  if (port > 0) watchListener(port, state.counters, descriptors, () => state.draining, (reason) => askRecycle(state, reason));
}

/** Asks for a replacement once the listener stopped accepting (listener-check.ts). */
function watchListener(
  port: number,
  counters: RequestCounters,
  descriptors: { readonly exhausted: boolean },
  draining: () => boolean,
  askRecycle: (reason: "listener-dead") => void,
): void {
  const check = createListenerCheck(port);
  const timer = setInterval(() => {
    if (draining() || !check.sample(counters.requests, descriptors.exhausted)) return;
    process.stderr.write(formatLogLine("error", `the listener on port ${port} stopped accepting connections (queued connections wait while no request is served); asking for a replacement`));
    clearInterval(timer);
    askRecycle("listener-dead");
  }, LISTENER_CHECK_MS);
  timer.unref?.();
}
