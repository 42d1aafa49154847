import type { ServeSettings } from "../config/options.ts";
import { spawnSpareWorker, type SpareWorkerProcess } from "../runtime/spawn-worker.ts";
import { workerColourEnv } from "./worker-colour.ts";

/** The spares of a --watch run, one per worker slot; none without --watch. */
export function spareWorkersFor(settings: Pick<ServeSettings, "watch" | "workers" | "accessLog">, entry: string | undefined): SpareWorkers | undefined {
  if (!settings.watch) return undefined;
  // A reload that turns the access log on finds spares without its pipe: they log to stdout.
  return new SpareWorkers(settings.workers, () => spawnSpareWorker(workerColourEnv(), entry, settings.accessLog));
}

/**
 * --watch keeps worker processes booted ahead of the next reload: a save
 * then waits only for the new code to load, not for an engine and lsky to
 * start (most of a reload on Node). Development only: each spare is an idle
 * process. Spares boot once a worker is ready (the first ones after the
 * start), so booting one never competes with the start or reload it serves. A spare
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
