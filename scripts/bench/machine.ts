import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, release } from "node:os";
import { join } from "node:path";
import { BIN, ROOT } from "./paths.ts";

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  kernel: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine. */
  loadAverage: string;
  versions: Record<string, string>;
}

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 20_000 });
  return `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n")[0]?.trim() || "unknown";
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    return match?.[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

/** What the figures were measured on: the machine, its load, and every engine and tool version. */
export function machineInfo(): MachineInfo {
  const lsky = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    kernel: release(),
    loadAverage: loadAverage(),
    versions: {
      lsky: lsky.version,
      node: process.versions.node,
      bun: firstLine(join(BIN, "bun"), ["--version"]),
      deno: firstLine(join(BIN, "deno"), ["--version"]).replace(/^deno /, "").replace(/ \(.*$/, ""),
      wrk: firstLine("wrk", ["-v"]).replace(/^wrk /, "").replace(/ Copyright.*/, ""),
      "@hono/node-server": packageVersion("@hono/node-server"),
      srvx: packageVersion("srvx"),
      pm2: packageVersion("pm2"),
    },
  };
}
