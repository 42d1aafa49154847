import { spawn } from "node:child_process";

export interface WrkResult {
  requestsPerSec: number;
  /** Response bytes per second, headers included, as wrk counts them. */
  bytesPerSec: number;
  errors: number;
}

export interface WrkOptions {
  url: string;
  durationSec: number;
  connections: number;
  threads: number;
  headers?: Record<string, string>;
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** Runs wrk once and reads its summary. */
export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = ["-t", String(options.threads), "-c", String(options.connections), "-d", `${options.durationSec}s`];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}: ${value}`);
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (out += s));
    const timer = setTimeout(() => child.kill("SIGKILL"), (options.durationSec + 30) * 1000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const transfer = /Transfer\/sec:\s+([\d.]+)([KMG]?B)/.exec(out);
      if (code !== 0 || !rps || !transfer) return reject(new Error(`wrk failed (${code}): ${out}`));
      const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const socketTotal = socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
      resolve({
        requestsPerSec: Number(rps[1]),
        bytesPerSec: Number(transfer[1]) * UNITS[transfer[2]!]!,
        errors: Number(errors?.[1] ?? 0) + socketTotal,
      });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
