import type { Engine } from "../runtime/detect.ts";
import type { ServeSettings } from "./options.ts";
import { unixPathOf } from "./parse-edges.ts";

/**
 * How `--listen unix:PATH` combines with several workers. A Unix socket
 * cannot be shared with SO_REUSEPORT, so:
 * - Node: one socket at PATH. The supervisor (the cluster primary) holds it
 *   and hands connections to the workers, exactly as it does for a TCP port.
 * - Bun and Deno: one worker listens on PATH; several workers listen on
 *   PATH.1 … PATH.N, one each, to be listed in a proxy's upstream block
 *   (docs/DEPLOYMENT.md has the nginx example).
 */
export function sharesOneSocket(engine: Engine, workers: number): boolean {
  return engine === "node" || workers === 1;
}

/** Every socket path the server listens on; empty on TCP. */
export function socketPaths(settings: Pick<ServeSettings, "listen" | "workers">, engine: Engine): string[] {
  const path = unixPathOf(settings.listen);
  if (path === undefined) return [];
  if (sharesOneSocket(engine, settings.workers)) return [path];
  return Array.from({ length: settings.workers }, (_, i) => `${path}.${i + 1}`);
}

/** The socket a worker in `slot` listens on, or undefined on TCP. */
export function socketPathForSlot(settings: Pick<ServeSettings, "listen" | "workers">, engine: Engine, slot: number): string | undefined {
  const path = unixPathOf(settings.listen);
  if (path === undefined) return undefined;
  return sharesOneSocket(engine, settings.workers) ? path : `${path}.${slot}`;
}
