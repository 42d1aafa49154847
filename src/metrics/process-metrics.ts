import { readdirSync } from "node:fs";

/** The standard `process_*` metrics (as Prometheus client libraries name them) of this process. */
export interface ProcessMetrics {
  residentMemoryBytes: number;
  cpuSecondsTotal: number;
  /** Unset where there is no /proc (macOS, Windows). */
  openFds?: number;
  startTimeSeconds: number;
}

// Wall-clock start, fixed once: recomputing it per scrape would make it jitter.
const startTimeSeconds = Math.round(Date.now() / 1000 - process.uptime());

export function readProcessMetrics(): ProcessMetrics {
  const cpu = process.cpuUsage();
  const openFds = countOpenFds();
  return {
    residentMemoryBytes: typeof process.memoryUsage.rss === "function" ? process.memoryUsage.rss() : process.memoryUsage().rss,
    cpuSecondsTotal: (cpu.user + cpu.system) / 1e6,
    ...(openFds === undefined ? {} : { openFds }),
    startTimeSeconds,
  };
}

function countOpenFds(): number | undefined {
  try {
    // Reading the folder opens one descriptor of its own, which it lists too.
    return readdirSync("/proc/self/fd").length - 1;
  } catch {
    return undefined;
  }
}
