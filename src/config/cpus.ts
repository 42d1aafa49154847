import { readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";

/**
 * The number of CPUs this process may use, honouring a cgroup v2 or v1 CPU
 * quota: a container limited to 1.5 CPUs gets 2, not the host's count.
 * `os.availableParallelism()` honours affinity but not quotas.
 */
export function availableCpus(): number {
  const host = typeof availableParallelism === "function" ? availableParallelism() : cpus().length;
  const quota = readCgroupQuota();
  if (quota === undefined) return Math.max(1, host);
  return Math.max(1, Math.min(host, Math.ceil(quota)));
}

/** The CPU quota in CPUs, or undefined when there is none (or it cannot be read). */
export function readCgroupQuota(
  read: (path: string) => string | undefined = readText,
): number | undefined {
  const v2 = read("/sys/fs/cgroup/cpu.max");
  if (v2 !== undefined) return parseCgroupV2(v2);
  const quota = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  const period = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  if (quota === undefined || period === undefined) return undefined;
  return parseCgroupV1(quota, period);
}

/** `cpu.max` holds "<quota> <period>" or "max <period>". */
export function parseCgroupV2(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (!quota || quota === "max" || !period) return undefined;
  const value = Number(quota) / Number(period);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** cgroup v1 writes -1 for "no quota". */
export function parseCgroupV1(quotaText: string, periodText: string): number | undefined {
  const quota = Number(quotaText.trim());
  const period = Number(periodText.trim());
  if (!(quota > 0) || !(period > 0)) return undefined;
  return quota / period;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
