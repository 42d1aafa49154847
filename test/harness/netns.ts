import { execFileSync } from "node:child_process";

/**
 * A network namespace the test makes itself (root only): its own loopback and
 * its own per-namespace sysctls, such as net.ipv4.tcp_migrate_req.
 */
export interface NetworkNamespace {
  name: string;
  /** Prefix for commands that must run inside. */
  exec: string[];
  remove(): void;
}

export function canMakeNamespaces(): boolean {
  try {
    return process.getuid?.() === 0 && execFileSync("ip", ["-V"], { encoding: "utf8" }).length > 0;
  } catch {
    return false;
  }
}

export function makeNamespace(sysctls: Record<string, string> = {}): NetworkNamespace {
  const name = `lsky-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  execFileSync("ip", ["netns", "add", name]);
  const exec = ["ip", "netns", "exec", name];
  execFileSync(exec[0]!, [...exec.slice(1), "ip", "link", "set", "lo", "up"]);
  for (const [key, value] of Object.entries(sysctls)) {
    execFileSync(exec[0]!, [...exec.slice(1), "sysctl", "-q", "-w", `${key}=${value}`]);
  }
  return {
    name,
    exec,
    remove: () => execFileSync("ip", ["netns", "del", name]),
  };
}
