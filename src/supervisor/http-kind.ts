import { WORKER_SPEC_ENV, type WorkerSpec } from "../bus/protocol.ts";
import type { ServeSettings } from "../config/options.ts";
import { workerLineFormatter } from "../log.ts";
import type { OutputQueue } from "../output-queue.ts";
import { spawnWorkerProcess, type WorkerProcess } from "../runtime/spawn-worker.ts";
import { type LineFormatter, passLines, pipeLines } from "./log-lines.ts";
import { DEFAULT_RESTART_POLICY } from "./restart-policy.ts";
import type { SpareWorkers } from "./spare-workers.ts";
import { workerColourEnv } from "./worker-colour.ts";
import { WorkerHandle } from "./worker-handle.ts";
import type { DrainRequest, WorkerKind } from "./worker-kind.ts";

// Beyond the grace period, how long a draining worker has to exit before SIGKILL.
const KILL_MARGIN_MS = 2000;

/** The supervisor's outputs and the workers' output pipes still open. */
export interface Relay {
  stdout: OutputQueue;
  stderr: OutputQueue;
  open: Set<Promise<void>>;
}

/**
 * The HTTP worker: lsky started again in the worker role, serving the app on
 * the shared port, ready once it listens, recycled by TTL (and by its own
 * request count, memory and listener checks), drained by a bus message.
 */
export function httpWorkerKind(settings: ServeSettings, spec: Omit<WorkerSpec, "slot">, relay: Relay, spares?: SpareWorkers): WorkerKind {
  return {
    name: "http",
    launch: (slot) => launchHttpWorker({ ...spec, slot }, relay, spares),
    readiness: "announced",
    bootTimeout: settings.bootTimeout,
    sharesPort: true,
    policy: DEFAULT_RESTART_POLICY,
    ttl: settings.ttl,
    heartbeatTimeout: settings.heartbeatTimeout,
    drainDeadline: settings.drainDelay + settings.gracePeriod + KILL_MARGIN_MS,
    drain: drainHttpWorker,
  };
}

/**
 * Relays a child's stdout and stderr line by line, each line as `formatterFor`
 * its stream says ("[w1] ...", "[mailer] ..."), and a worker's access-log pipe
 * as it comes, until each closes.
 */
export function relayChildOutput(child: WorkerProcess, relay: Relay, formatterFor: (stream: "stdout" | "stderr") => LineFormatter): void {
  const track = (closed: Promise<void>) => {
    relay.open.add(closed);
    void closed.then(() => relay.open.delete(closed));
  };
  for (const [source, target, stream] of [[child.stdout, relay.stdout, "stdout"], [child.stderr, relay.stderr, "stderr"]] as const) {
    track(pipeLines(source, target, formatterFor(stream)));
  }
  if (child.accessLog) track(passLines(child.accessLog, relay.stdout));
}

/**
 * `handover`: a replacement already serves, so the worker keeps its listener
 * open a while; on stop nobody takes over. A worker still booting has no
 * listener yet and may not have reached the bus: SIGTERM stops it.
 */
function drainHttpWorker(worker: WorkerHandle, { cause, quick, from }: DrainRequest): void {
  if (from === "starting") worker.kill("SIGTERM");
  worker.send(quick ? { type: "drain", handover: false, quick: true } : { type: "drain", handover: cause !== "stop" });
}

function launchHttpWorker(spec: WorkerSpec, relay: Relay, spares?: SpareWorkers): WorkerHandle {
  const spare = spares?.take();
  spare?.start(JSON.stringify(spec));
  const child = spare ?? spawnWorkerProcess({ [WORKER_SPEC_ENV]: JSON.stringify(spec), ...workerColourEnv() }, spec.entry, spec.settings.accessLog);
  relayChildOutput(child, relay, (stream) => workerLineFormatter(spec.slot, stream));
  const worker = new WorkerHandle(spec.slot, child);
  // The next spare boots once this worker serves, not while it loads, and
  // after the pool has told the worker it replaces to drain (a timer runs
  // after the pool's own reaction to the same readiness).
  const refill = () => void setTimeout(() => spares!.fill(), 0);
  if (spares) void worker.ready.then(refill, refill);
  return worker;
}
