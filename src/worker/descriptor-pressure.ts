import { closeSync, openSync } from "node:fs";
import { readDescriptorLimit } from "../runtime/descriptor-limit.ts";

// One line per episode, then at most one a minute while it lasts: under a
// connection flood every accept fails, and a line each time would flood the log.
const REPEAT_MS = 60_000;
// The limit is re-read now and then (prlimit can change it from outside);
// reading takes a descriptor, so it is never read while they are exhausted.
const LIMIT_REFRESH_MS = 30_000;

export interface DescriptorPressure {
  /** Probes for a free descriptor; true while there is none. Logs the clear line. */
  check(now?: number): boolean;
  /** True when the last probe found no free descriptor. */
  readonly exhausted: boolean;
}

/** EMFILE (this process) or ENFILE (the whole system): a descriptor could not be had. */
export function isDescriptorExhaustion(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === "EMFILE" || code === "ENFILE" || /too many open files/i.test(String(error));
}

export function descriptorExhaustionLine(limit: number | undefined, systemWide: boolean): string {
  if (systemWide) return "too many open files in the system (ENFILE): raise fs.file-max (sysctl -w fs.file-max=N) or lower the load";
  const value = limit === undefined ? "unknown" : Number.isFinite(limit) ? String(limit) : "unlimited";
  return `too many open files: the limit is ${value}; raise it with ulimit -n (LimitNOFILE= in a systemd unit, ` +
    "--ulimit nofile= with docker) or lower the connections per worker";
}

/**
 * Watches for descriptor exhaustion by opening /dev/null, which needs one
 * descriptor like an accept does. Engines keep running out of descriptors
 * quietly (Bun and Deno log nothing; Node's libuv sheds connections), so
 * this probe is what names the cause.
 */
export function watchDescriptorPressure(log: (line: string) => void): DescriptorPressure {
  let limit = readDescriptorLimit()?.soft;
  let limitReadAt = Date.now();
  let loggedAt = -Infinity;
  let exhausted = false;
  return {
    get exhausted() {
      return exhausted;
    },
    check(now = Date.now()) {
      try {
        closeSync(openSync("/dev/null", "r"));
        exhausted = false;
      } catch (error) {
        if (!isDescriptorExhaustion(error)) return exhausted;
        if (!exhausted || now - loggedAt >= REPEAT_MS) {
          loggedAt = now;
          log(descriptorExhaustionLine(limit, (error as { code?: string }).code === "ENFILE"));
        }
        exhausted = true;
        return true;
      }
      if (now - limitReadAt >= LIMIT_REFRESH_MS) {
        limit = readDescriptorLimit()?.soft ?? limit;
        limitReadAt = now;
      }
      return false;
    },
  };
}

/**
 * The resident set size, or the last one read when reading fails: Node and
 * Bun read /proc/self/stat for it, which takes a descriptor, and threw out
 * of the heartbeat (killing the worker) when none was left.
 */
export function residentMemoryReader(): () => number {
  let last = 0;
  return () => {
    try {
      const usage = process.memoryUsage as typeof process.memoryUsage & { rss?: () => number };
      last = typeof usage.rss === "function" ? usage.rss() : usage().rss;
    } catch {
      // Keep the last reading.
    }
    return last;
  };
}
