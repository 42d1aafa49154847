// One run of the WebSocket load client against a started server, with the
// server's CPU time from the moment the client's connections are up (its
// "measuring" line) to its result: connection set-up is left out, and CPU
// time per message moves much less than throughput on a shared host.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { cpuMsBetween, type CpuSnapshot, snapshotCpu } from "../cpu.ts";
import { BIN, ROOT } from "../paths.ts";
import { CLIENT_CPUS } from "./servers.ts";

const CLIENT = join(ROOT, "scripts", "bench", "ws", "load-client.ts");

export interface ClientResult {
  /** The client's JSON result line. */
  result: Record<string, number>;
  /** CPU milliseconds the server's process group used while measured. */
  serverCpuMs: number;
}

export function runClient(serverGroup: number, url: string, args: string[], timeoutMs: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const [mode, ...rest] = args;
    const child = spawn("taskset", ["-c", CLIENT_CPUS, join(BIN, "bun"), CLIENT, mode!, url, ...rest], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let errors = "";
    let before: CpuSnapshot | undefined;
    let after: CpuSnapshot | undefined;
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (!before && out.includes("measuring\n")) before = snapshotCpu([serverGroup]);
      // Read before the client closes its sockets, which is work of another kind.
      if (before && !after && out.includes("done\n")) after = snapshotCpu([serverGroup]);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !before || !line.startsWith("{")) return reject(new Error(`load client exited with ${code}: ${errors || out}`));
      resolve({ result: JSON.parse(line) as Record<string, number>, serverCpuMs: cpuMsBetween(before, after ?? snapshotCpu([serverGroup])) });
    });
  });
}
