import { drainServer } from "./drain.ts";
import type { RequestActivity } from "./request-activity.ts";
import type { StatsReporter } from "./stats-reporter.ts";
import type { WorkerState } from "./worker-state.ts";

export type Drain = (handover: boolean, gracePeriod?: number, drainDelay?: number, restart?: boolean) => Promise<void>;

/**
 * The worker's way out, run once: stop taking work, let what runs finish
 * within the grace period, run the stop hook, send the last figures, exit 0.
 */
export function createDrain(state: WorkerState, activity: RequestActivity, reporter: StatsReporter): Drain {
  const { settings } = state.spec;
  return async (handover, gracePeriod = settings.gracePeriod, drainDelay = settings.drainDelay, restart = handover) => {
    if (state.draining) return;
    state.draining = true;
    const deadline = performance.now() + gracePeriod;
    // WebSockets drain beside HTTP: new upgrades are refused at once, open
    // sockets get their own (shorter) period, then 1012 or 1001.
    const socketsClosed = state.websockets?.hub.drain(restart, Math.min(settings.wsDrainPeriod, gracePeriod));
    // TCP listeners stop accepting now (a replacement already listens on a
    // reload) and their connections get the grace period; UDP closes at once.
    const listenersClosed = state.listeners?.drain(deadline);
    if (state.server) await drainServer(state.server, state.counters, {
      drainDelay, gracePeriod, handover, keepAliveTimeout: settings.keepAliveTimeout,
      lastRequestBound: activity.lastRequestBound(), socketsClosed,
    });
    await socketsClosed;
    await listenersClosed;
    await state.schedule?.idle(Math.max(0, deadline - performance.now()));
    await state.lifecycle?.stop(deadline);
    // The last figures, so the supervisor keeps this worker's counts once it is gone.
    if (state.bus) await state.bus.sendFinal(await reporter.statsWithAppMetrics());
    process.exit(0);
  };
}
