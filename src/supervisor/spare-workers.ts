import type { SpareWorkerProcess } from "../runtime/spawn-worker.ts";

/**
 * --watch keeps worker processes booted ahead of the next reload: a save
 * then waits only for the new code to load, not for an engine and lsky to
 * start (most of a reload on Node). Development only: each spare is an idle
 * process. A spare is replaced once the worker made of it is ready, so
 * booting the next one never competes with the reload it serves. A spare
 * that dies unused is not replaced until the next reload asks for one.
 */
export class SpareWorkers {
  private readonly spares: SpareWorkerProcess[] = [];
  private stopped = false;

  constructor(private readonly size: number, private readonly spawn: () => SpareWorkerProcess) {}

  /** Boots spares up to the size. A host that refuses a start leaves fewer. */
  fill(): void {
    this.spares.splice(0, this.spares.length, ...this.spares.filter((spare) => spare.alive()));
    while (!this.stopped && this.spares.length < this.size) {
      try {
        this.spares.push(this.spawn());
      } catch {
        return; // No processes or descriptors left: reloads start workers the usual way.
      }
    }
  }

  /** A booted spare, or undefined; the caller hands it its spec. */
  take(): SpareWorkerProcess | undefined {
    while (this.spares.length > 0) {
      const spare = this.spares.shift()!;
      if (spare.alive()) return spare;
    }
    return undefined;
  }

  /** Kills the spares and boots no more. */
  stop(): void {
    this.stopped = true;
    for (const spare of this.spares.splice(0)) spare.kill("SIGTERM");
  }
}
